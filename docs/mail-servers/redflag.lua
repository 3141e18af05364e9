-- redflag for Rspamd: asks a redflag server (`redflag serve`) about each message through
-- POST /api/v1/check/raw and adds a symbol with redflag's verdict, its rule IDs as options.
-- Install: copy to /etc/rspamd/rspamd.local.lua (or `dofile` it from there), set REDFLAG_URL
-- below if redflag is not on 127.0.0.1:8080, and restart Rspamd. Nothing else is sent anywhere: the
-- request goes to your own redflag on loopback. See docs/mail-servers.md.

local rspamd_http = require "rspamd_http"
local rspamd_logger = require "rspamd_logger"
local ucl = require "ucl"

-- Your redflag server; run it on loopback with `--rate-limit 0` (a mail server is one client).
local REDFLAG_URL = "http://127.0.0.1:8080/api/v1/check/raw"

local function redflag_check(task)
  local function on_reply(err, code, body)
    if err or code ~= 200 then
      -- redflag down or the message unreadable: no symbol, the message goes on as before.
      rspamd_logger.infox(task, "redflag: no verdict (%s, %s)", err, code)
      return
    end
    local parser = ucl.parser()
    local ok = parser:parse_string(tostring(body))
    if not ok then return end
    local doc = parser:get_object()
    local flags = doc.flags or {}
    if doc.verdict == "scam" then
      task:insert_result("REDFLAG_SCAM", 1.0, flags)
    elseif doc.verdict == "suspicious" then
      task:insert_result("REDFLAG_SUSPICIOUS", 1.0, flags)
    else
      task:insert_result("REDFLAG_CLEAN", 1.0)
    end
    -- The same X-Redflag-* fields `redflag filter` and `redflag milter` add (Rspamd's
    -- milter_headers or your MTA applies them).
    local add = {}
    for _, h in ipairs(doc.headers or {}) do
      add[h.name] = h.value
    end
    task:set_milter_reply({ add_headers = add, remove_headers = {
      ["X-Redflag-Verdict"] = 0, ["X-Redflag-Score"] = 0, ["X-Redflag-Flags"] = 0,
      ["X-Redflag-Version"] = 0, ["X-Redflag-Note"] = 0 } })
  end
  rspamd_http.request({
    task = task,
    url = REDFLAG_URL,
    body = task:get_content(),
    headers = { ["Content-Type"] = "message/rfc822" },
    callback = on_reply,
    timeout = 5.0,
  })
end

local id = rspamd_config:register_symbol({
  name = "REDFLAG_CHECK",
  type = "callback",
  callback = redflag_check,
  flags = "empty",
})
rspamd_config:register_symbol({
  name = "REDFLAG_SCAM", type = "virtual", parent = id, score = 10.0,
  group = "redflag", description = "redflag: a scam posing as Amazon",
})
rspamd_config:register_symbol({
  name = "REDFLAG_SUSPICIOUS", type = "virtual", parent = id, score = 4.0,
  group = "redflag", description = "redflag: red flags of an Amazon scam",
})
rspamd_config:register_symbol({
  name = "REDFLAG_CLEAN", type = "virtual", parent = id, score = 0.0,
  group = "redflag", description = "redflag: no red flags found",
})
