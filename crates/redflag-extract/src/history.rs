//! A person's real order history, for the advisory's "go to Your Orders to verify" check.
//!
//! It comes from Amazon's "Request your data" export (`Retail.OrderHistory.*.csv`, or the
//! older "Items" report), in any of its column variants, or from order numbers the person
//! types or pastes. Parsing is lenient: unknown columns are ignored, a row without an order
//! number is skipped, and text that is not a CSV is read as a list of order numbers.

use redflag_profile::Brand;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};

/// Most orders read from one history (a decade of heavy shopping is well below this).
pub const MAX_ORDERS: usize = 100_000;

/// One order of the history.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Order {
    /// The order number, as in the history.
    pub id: String,
    /// The order date, as written in the history.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// Product names of its items.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<String>,
    /// Amounts it was charged, in cents: each item's total and the order's total.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub amounts_cents: Vec<i64>,
}

/// A person's real orders.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct OrderHistory {
    /// The orders, in the order first seen.
    pub orders: Vec<Order>,
}

/// Why an order history could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OrdersError {
    /// Nothing in the text looks like an order number.
    #[error("no order numbers (like 112-1234567-1234567) found in the order history")]
    NoOrders,
    /// More orders than [`MAX_ORDERS`].
    #[error("the order history has more than {MAX_ORDERS} orders")]
    TooMany,
}

impl OrderHistory {
    /// A history of bare order numbers (no dates, items or amounts).
    pub fn from_ids<I, S>(ids: I) -> OrderHistory
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let mut b = Builder::default();
        for id in ids {
            b.entry(&id.into());
        }
        b.history
    }

    /// Reads an order history: the "Request your data" order CSV (any variant; the header
    /// row names the columns) or any text listing order numbers in the brand's format.
    pub fn parse(text: &str, brand: &Brand) -> Result<OrderHistory, OrdersError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let h = parse_csv(text)
            .unwrap_or_else(|| OrderHistory::from_ids(brand.order_numbers(text).map(|r| &text[r])));
        if h.orders.is_empty() {
            return Err(OrdersError::NoOrders);
        }
        if h.orders.len() > MAX_ORDERS {
            return Err(OrdersError::TooMany);
        }
        Ok(h)
    }

    /// The order numbers.
    pub fn order_ids(&self) -> impl Iterator<Item = &str> {
        self.orders.iter().map(|o| o.id.as_str())
    }

    /// The order with this number (compared without punctuation or case).
    pub fn find(&self, id: &str) -> Option<&Order> {
        let key = order_key(id);
        self.orders.iter().find(|o| key_is(&o.id, &key))
    }

    /// Whether any order was read with amounts (a bare list of numbers has none).
    pub fn has_amounts(&self) -> bool {
        self.orders.iter().any(|o| !o.amounts_cents.is_empty())
    }

    /// Whether any order was read with product names.
    pub fn has_items(&self) -> bool {
        self.orders.iter().any(|o| !o.items.is_empty())
    }

    /// The history as a small CSV that [`OrderHistory::parse`] reads back the same: one row
    /// per item, the order's amounts on its first row (the web page carries a history
    /// from the check to its report downloads this way).
    pub fn to_csv(&self) -> String {
        let h = self;
        let amounts = h
            .orders
            .iter()
            .map(|o| o.amounts_cents.len())
            .max()
            .unwrap_or(0);
        let mut w = csv::Writer::from_writer(Vec::new());
        let mut header = vec!["Order ID", "Order Date", "Product Name"];
        header.extend(std::iter::repeat_n("Total Owed", amounts));
        if w.write_record(&header).is_err() {
            return String::new();
        }
        for o in &h.orders {
            let items: Vec<&str> = if o.items.is_empty() {
                vec![""]
            } else {
                o.items.iter().map(String::as_str).collect()
            };
            for (i, item) in items.iter().enumerate() {
                let mut row = vec![
                    o.id.clone(),
                    if i == 0 {
                        o.date.clone().unwrap_or_default()
                    } else {
                        String::new()
                    },
                    (*item).to_string(),
                ];
                if i == 0 {
                    row.extend(
                        o.amounts_cents
                            .iter()
                            .map(|c| format!("{}.{:02}", c / 100, c % 100)),
                    );
                }
                row.resize(header.len(), String::new());
                if w.write_record(&row).is_err() {
                    return String::new();
                }
            }
        }
        w.into_inner()
            .ok()
            .and_then(|b| String::from_utf8(b).ok())
            .unwrap_or_default()
    }
}

/// A history being read, with an index by order key and each order's items and amounts as
/// sets, so that reading `n` rows takes O(n): a search through the orders per row made a
/// pasted list of 13,000 order numbers take minutes (found with the `order_csv` fuzz target).
#[derive(Default)]
struct Builder {
    history: OrderHistory,
    /// Order key to position in `history.orders`.
    index: HashMap<String, usize>,
    /// Per order (same positions): its items and amounts so far.
    seen: Vec<(HashSet<String>, HashSet<i64>)>,
}

impl Builder {
    /// The position of the order with this number, added when new.
    fn entry(&mut self, id: &str) -> usize {
        let key = order_key(id);
        if let Some(&i) = self.index.get(&key) {
            return i;
        }
        self.history.orders.push(Order {
            id: id.trim().to_string(),
            ..Order::default()
        });
        self.seen.push(Default::default());
        let i = self.history.orders.len() - 1;
        self.index.insert(key, i);
        i
    }

    /// Adds an item to order `i` unless it has it.
    fn add_item(&mut self, i: usize, item: &str) {
        if self.seen[i].0.insert(item.to_string()) {
            self.history.orders[i].items.push(item.to_string());
        }
    }

    /// Adds an amount to order `i` unless it has it.
    fn add_amount(&mut self, i: usize, cents: i64) {
        if self.seen[i].1.insert(cents) {
            self.history.orders[i].amounts_cents.push(cents);
        }
    }
}

/// An order number reduced to its letters and digits, upper case.
pub fn order_key(id: &str) -> String {
    id.chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_uppercase()
}

/// Whether `id` reduces to `key` (an [`order_key`]), without allocating.
fn key_is(id: &str, key: &str) -> bool {
    id.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .eq(key.chars())
}

/// A money amount as written in an export (`$1,299.00`, `1.299,00 €`), in cents: the
/// extraction crate's reading of amounts.
pub fn amount_cents(s: &str) -> Option<i64> {
    crate::parse_amount(s)
}

/// Which column holds what, from the header row.
#[derive(Default)]
struct Columns {
    id: Option<usize>,
    date: Option<usize>,
    item: Option<usize>,
    amounts: Vec<usize>,
}

fn columns(header: &csv::StringRecord) -> Columns {
    let mut c = Columns::default();
    for (i, name) in header.iter().enumerate() {
        let n: String = name
            .trim()
            .trim_start_matches('\u{feff}')
            .to_ascii_lowercase()
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect();
        match n.as_str() {
            "orderid" | "ordernumber" | "orderno" | "order" => c.id = c.id.or(Some(i)),
            "orderdate" | "date" | "orderplaceddate" => c.date = c.date.or(Some(i)),
            "productname" | "title" | "item" | "itemname" | "description" | "product" => {
                c.item = c.item.or(Some(i));
            }
            "totalowed"
            | "itemtotal"
            | "totalcharged"
            | "total"
            | "ordertotal"
            | "amount"
            | "itemsubtotal"
            | "shipmentitemsubtotal"
            | "unitprice"
            | "purchaseprice"
            | "purchasepriceperunit"
            | "subtotal" => c.amounts.push(i),
            _ => {}
        }
    }
    c
}

/// Reads a CSV export whose header names an order-number column; `None` when the text is
/// not such a CSV.
fn parse_csv(text: &str) -> Option<OrderHistory> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(true)
        .from_reader(text.as_bytes());
    let cols = columns(reader.headers().ok()?);
    let id_col = cols.id?;
    let mut b = Builder::default();
    // Per order: the sum of each row's largest amount (its total), and the row count.
    let mut row_totals: BTreeMap<String, (i64, usize)> = BTreeMap::new();
    for record in reader.records().take(MAX_ORDERS * 4) {
        let Ok(record) = record else { continue };
        let Some(id) = record.get(id_col).map(str::trim).filter(|s| !s.is_empty()) else {
            continue;
        };
        let date = cols.date.and_then(|i| record.get(i)).map(str::trim);
        let item = cols.item.and_then(|i| record.get(i)).map(str::trim);
        let amounts: Vec<i64> = cols
            .amounts
            .iter()
            .filter_map(|&i| record.get(i).and_then(amount_cents))
            .filter(|&v| v > 0)
            .collect();
        if let Some(max) = amounts.iter().max() {
            let t = row_totals.entry(order_key(id)).or_default();
            t.0 = t.0.saturating_add(*max);
            t.1 += 1;
        }
        let i = b.entry(id);
        let order = &mut b.history.orders[i];
        if order.date.is_none() {
            order.date = date.filter(|d| !d.is_empty()).map(str::to_string);
        }
        if let Some(item) = item.filter(|s| !s.is_empty()) {
            b.add_item(i, item);
        }
        for a in amounts {
            b.add_amount(i, a);
        }
    }
    let mut h = b.history;
    // Each order's whole total also counts: a message may quote it rather than an item's.
    for o in &mut h.orders {
        if let Some(&(total, rows)) = row_totals.get(&order_key(&o.id))
            && rows > 1
            && !o.amounts_cents.contains(&total)
        {
            o.amounts_cents.push(total);
        }
    }
    Some(h)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn brand() -> Brand {
        redflag_profile::Profile::embedded().brand.clone()
    }

    #[test]
    fn reads_the_request_your_data_export() {
        let csv = "\u{feff}\"Website\",\"Order ID\",\"Order Date\",\"Currency\",\"Unit Price\",\"Total Owed\",\"Product Name\"\n\
            \"Amazon.com\",\"112-1234567-1234567\",\"2026-10-01T10:00:00Z\",\"USD\",\"19.99\",\"21.59\",\"USB-C cable\"\n\
            \"Amazon.com\",\"112-1234567-1234567\",\"2026-10-01T10:00:00Z\",\"USD\",\"5.00\",\"5.40\",\"Batteries\"\n\
            \"Amazon.com\",\"D01-7654321-7654321\",\"2026-09-01\",\"USD\",\"\",\"'1,299.00'\",\"Kindle book\"\n";
        let h = OrderHistory::parse(csv, &brand()).unwrap();
        assert_eq!(h.orders.len(), 2);
        let o = h.find("112 1234567 1234567").unwrap();
        assert_eq!(o.items, ["USB-C cable", "Batteries"]);
        assert!(o.amounts_cents.contains(&2159));
        assert!(o.amounts_cents.contains(&(2159 + 540)));
        assert_eq!(
            h.find("D01-7654321-7654321").unwrap().amounts_cents,
            [129_900]
        );
        assert!(h.has_amounts() && h.has_items());
    }

    #[test]
    fn reads_the_older_items_report_and_plain_lists() {
        let csv = "Order Date,Order ID,Title,Category,Item Total\n09/14/25,113-0000001-0000001,Garden hose,Lawn,$34.50\n";
        let h = OrderHistory::parse(csv, &brand()).unwrap();
        assert_eq!(h.orders[0].amounts_cents, [3450]);
        assert_eq!(h.orders[0].date.as_deref(), Some("09/14/25"));
        let h = OrderHistory::parse(
            "my orders: 112-1234567-1234567, 113-7654321-7654321",
            &brand(),
        )
        .unwrap();
        assert_eq!(h.order_ids().count(), 2);
        assert!(!h.has_amounts());
        assert_eq!(
            OrderHistory::parse("no orders here", &brand()),
            Err(OrdersError::NoOrders)
        );
        assert_eq!(
            OrderHistory::parse("", &brand()),
            Err(OrdersError::NoOrders)
        );
    }

    /// Found with the `order_csv` fuzz target: each row searched the orders read so far,
    /// so a pasted list of 13,000 order numbers took minutes, and one order with thousands
    /// of item rows seconds. Reading is linear now; duplicates still merge.
    #[test]
    fn long_histories_read_in_linear_time() {
        let started = std::time::Instant::now();
        let mut list: String = (0..20_000)
            .map(|i| format!("{:03}-{i:07}-{i:07}\n", i % 1000))
            .collect();
        list.push_str("000 0000000 0000000\n000-0000000-0000000\n"); // a repeat
        let h = OrderHistory::parse(&list, &brand()).unwrap();
        assert_eq!(h.orders.len(), 20_000);
        assert!(h.find("999-0019999-0019999").is_some());

        let mut csv = String::from("Order ID,Product Name,Total Owed\n");
        for i in 0..20_000 {
            csv.push_str(&format!(
                "112-1234567-1234567,item {},${}.00\n",
                i % 10_000,
                i % 5000 + 1
            ));
        }
        let h = OrderHistory::parse(&csv, &brand()).unwrap();
        assert_eq!(h.orders.len(), 1);
        let o = &h.orders[0];
        assert_eq!(o.items.len(), 10_000);
        assert_eq!(
            (o.items[0].as_str(), o.items[9_999].as_str()),
            ("item 0", "item 9999")
        );
        // 5,000 item amounts and the order's total.
        assert_eq!(o.amounts_cents.len(), 5_001);
        assert!(
            started.elapsed() < std::time::Duration::from_secs(10),
            "took {:?}",
            started.elapsed()
        );
    }

    #[test]
    fn amounts() {
        assert_eq!(amount_cents("$1,299.00"), Some(129_900));
        assert_eq!(amount_cents("1.299,00 €"), Some(129_900));
        assert_eq!(amount_cents("$34"), Some(3400));
        assert_eq!(amount_cents("USD 0.99"), Some(99));
        assert_eq!(amount_cents("n/a"), None);
        assert_eq!(amount_cents("99999999999999999999999"), None);
    }

    #[test]
    fn compact_orders_read_back_the_same() {
        let csv = "Order ID,Order Date,Product Name,Total Owed,Unit Price\n\
                   112-1234567-1234567,2026-01-02,Kettle,\"$1,299.00\",$1299.00\n\
                   112-1234567-1234567,2026-01-02,Cable,$9.99,$9.99\n\
                   113-7654321-7654321,2026-02-03,Book,$0.05,\n";
        let h = OrderHistory::parse(csv, &brand()).unwrap();
        let again = OrderHistory::parse(&h.to_csv(), &brand()).unwrap();
        assert_eq!(again, h);
        let ids = OrderHistory::from_ids(["112-1234567-1234567"]);
        assert_eq!(OrderHistory::parse(&ids.to_csv(), &brand()).unwrap(), ids);
    }
}
