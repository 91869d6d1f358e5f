// Hostile or broken portal answers, for the tests that prove a portal cannot crash or wedge the
// kiosk (docs/security.md, "portal"). A test scripts them on the admin listener:
//   POST /admin/hostile  {"match": "POST /api/v1/dossiers", "body_contains": "<client id>",
//                         "status": 201, "body": "<raw text>" | "generate": "deep:100000" |
//                         "big:2000000" | "wrong_types", "times": 1}
//   POST /admin/hostile/reset
// The next `times` API requests whose "METHOD path" starts with `match` (and whose body holds
// `body_contains`, when given) get that answer instead of the real one, after the identity check
// and before anything is recorded. Generated bodies: `deep:N` N nested arrays under
// "error.details" (or "details" for a 2xx), `big:N` a valid JSON object of about N bytes,
// `wrong_types` every field the kiosk reads with the wrong type.
#include "tests/portal_sim/sim_hostile.h"

#include <algorithm>

namespace portal_sim {

using nlohmann::json;

namespace {

std::string Generate(const std::string& spec, int status) {
  const auto colon = spec.find(':');
  const std::string kind = spec.substr(0, colon);
  const size_t n = colon == std::string::npos ? 0 : std::strtoull(spec.c_str() + colon + 1, nullptr, 10);
  if (kind == "deep") {
    const std::string open(n, '['), close(n, ']');
    if (status >= 400) return R"({"error":{"code":"validation_failed","message":"x","details":)" + open + close + "}}";
    return R"({"dossier_code":"000.00.24.H03-261122-9999","details":)" + open + close + "}";
  }
  if (kind == "big") return R"({"dossier_code":"000.00.24.H03-261122-9998","pad":")" + std::string(n, 'a') + "\"}";
  if (kind == "wrong_types") {
    return json{{"dossier_code", 17},
                {"status", json::array({"received"})},
                {"status_text", 5},
                {"appointment_date", {{"d", 1}}},
                {"updated_at", false},
                {"note", 1.5},
                {"server_time", 0},
                {"commands", {{"refresh_catalog"}}},
                {"kiosk_id", json::object()},
                {"certificate", 3},
                {"version", 2},
                {"procedures", "none"},
                {"error", {{"code", 422}, {"message", json::array()}, {"details", {{"field", 1}}}}}}
        .dump();
  }
  return {};
}

}  // namespace

bool ApplyHostileAnswer(Sim& sim, const httplib::Request& req, httplib::Response& res) {
  const std::string line = req.method + " " + req.path;
  for (auto it = sim.hostile.begin(); it != sim.hostile.end(); ++it) {
    if (line.rfind(it->match, 0) != 0) continue;
    if (!it->body_contains.empty() && req.body.find(it->body_contains) == std::string::npos) continue;
    sim.Count("hostile.sent");
    res.status = it->status;
    res.set_content(it->body, "application/json");
    if (--it->times <= 0) sim.hostile.erase(it);
    return true;
  }
  return false;
}

void RegisterHostile(httplib::Server& admin, Sim& sim) {
  admin.Post("/admin/hostile", [&](const httplib::Request& req, httplib::Response& res) {
    std::lock_guard<std::mutex> lock(sim.mu);
    json j = json::parse(req.body, nullptr, false);
    if (!j.is_object() || !j.contains("match") || !j["match"].is_string()) {
      return SendError(res, 400, "bad_hostile", "{\"match\": \"METHOD /path\", ...}");
    }
    HostileAnswer h;
    h.match = j["match"].get<std::string>();
    if (j.contains("body_contains") && j["body_contains"].is_string()) h.body_contains = j["body_contains"];
    if (j.contains("status") && j["status"].is_number_integer()) h.status = j["status"].get<int>();
    if (j.contains("times") && j["times"].is_number_integer()) h.times = std::max(1, j["times"].get<int>());
    if (j.contains("body") && j["body"].is_string()) h.body = j["body"].get<std::string>();
    if (j.contains("generate") && j["generate"].is_string()) h.body = Generate(j["generate"], h.status);
    sim.hostile.push_back(std::move(h));
    res.set_content(R"({"ok":true})", "application/json");
  });
  admin.Post("/admin/hostile/reset", [&](const httplib::Request&, httplib::Response& res) {
    std::lock_guard<std::mutex> lock(sim.mu);
    sim.hostile.clear();
    res.set_content(R"({"ok":true})", "application/json");
  });
}

}  // namespace portal_sim
