// portal-sim's proof mode, for tests that must show WHO prevents duplicates (tests/sync/
// exactly_once_test.cpp): a hold that keeps one dossier POST in flight until the test releases
// it (so a test can kill the kiosk's runner while its request is provably unanswered), and a log
// of deliveries (every dossier the simulator created: when, under which code, and whether its
// answer reached the client). With --allow-duplicates the simulator forgets idempotency for
// dossiers (no replay, no UNIQUE client_id): a POST sent twice is created twice and shows in
// the log, instead of being refused or replayed.
//
// Admin (plain HTTP, loopback):
//   POST /admin/hold {"stage": "before"|"after", "skip": N}  hold the (N+1)-th dossier POST from
//        now: "before" it is processed, or "after" it was committed and before its answer leaves
//   GET  /admin/hold     {"armed", "held", "key", "stage", "since_ms", "peer_closed_ms"}
//                        peer_closed_ms: when the client's end of the held connection closed
//   POST /admin/release  lets the held request go on (its answer goes to whoever is still there)
//   GET  /admin/deliveries  [{"key", "code", "started_ms", "finished_ms", "answer_lost", "why"}]
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/ssl.h>

#include <condition_variable>

#include "tests/portal_sim/sim.h"

namespace portal_sim {

using nlohmann::json;

namespace {

struct Delivery {
  std::string key, code;
  int64_t started_ms = 0, finished_ms = 0;
  bool answer_lost = false;
  std::string why;
};

struct HoldState {
  bool armed = false;
  std::string stage;
  int skip = 0;
  bool held = false;
  std::string key;
  int64_t since_ms = 0;
  std::optional<int64_t> peer_closed_ms;
  int release_fd = -1;      // written by /admin/release; the held thread owns and closes the pipe
  uint64_t generation = 0;  // which hold (a released thread must not touch the next one)
};

struct Proofs {
  std::mutex mu;
  HoldState hold;
  std::vector<Delivery> deliveries;
};

Proofs& P() {
  static Proofs p;
  return p;
}

// The delivery this handler thread created (set by RecordDelivery, used by AfterHandler).
thread_local std::optional<size_t> current_delivery;

int Fd(const httplib::Request& req) {
  return req.ssl ? SSL_get_fd(req.ssl) : -1;
}

// True when the client's end of the connection has closed (FIN or reset).
bool PeerClosed(const httplib::Request& req) {
  pollfd p{Fd(req), POLLRDHUP, 0};
  return p.fd >= 0 && ::poll(&p, 1, 0) == 1 && (p.revents & (POLLRDHUP | POLLHUP | POLLERR));
}

json HoldJson(const HoldState& h) {
  return {{"armed", h.armed},       {"held", h.held},
          {"key", h.key},           {"stage", h.stage},
          {"since_ms", h.since_ms}, {"peer_closed_ms", h.peer_closed_ms ? json(*h.peer_closed_ms) : json()}};
}

// Holds this request when the armed hold is for `stage` and its turn has come: waits (poll, no
// timer) until /admin/release, noting when the client's end closes meanwhile.
void MaybeHold(const httplib::Request& req, const std::string& stage, const std::string& key) {
  Proofs& p = P();
  int pipe_fds[2] = {-1, -1};
  uint64_t generation = 0;
  {
    std::lock_guard<std::mutex> lock(p.mu);
    HoldState& h = p.hold;
    if (!h.armed || h.held || h.stage != stage) return;
    if (h.skip > 0) {
      --h.skip;
      return;
    }
    if (::pipe(pipe_fds) != 0) return;
    h.armed = false;
    h.held = true;
    h.key = key;
    h.since_ms = NowMs();
    h.peer_closed_ms.reset();
    h.release_fd = pipe_fds[1];
    generation = ++h.generation;
  }
  pollfd fds[2] = {{pipe_fds[0], POLLIN, 0}, {Fd(req), POLLRDHUP, 0}};
  int n = fds[1].fd >= 0 ? 2 : 1;
  while (::poll(fds, static_cast<nfds_t>(n), -1) >= 0 || errno == EINTR) {
    if (fds[0].revents) break;
    if (n == 2 && fds[1].revents) {
      if (fds[1].revents & (POLLRDHUP | POLLHUP | POLLERR)) {
        std::lock_guard<std::mutex> lock(p.mu);
        if (p.hold.generation == generation) p.hold.peer_closed_ms = NowMs();
      }
      n = 1;  // the client's end has nothing more to tell
    }
  }
  std::lock_guard<std::mutex> lock(p.mu);
  ::close(pipe_fds[0]);
  ::close(pipe_fds[1]);
  if (p.hold.generation == generation) {
    p.hold.held = false;  // released by a failed poll, not by /admin/release
    p.hold.release_fd = -1;
  }
}

}  // namespace

void HoldBeforeProcessing(const httplib::Request& req, const std::string& key) {
  MaybeHold(req, "before", key);
}

void RecordDelivery(const std::string& key, const std::string& code, int64_t started_ms, bool answer_cut) {
  Proofs& p = P();
  std::lock_guard<std::mutex> lock(p.mu);
  p.deliveries.push_back({key, code, started_ms, 0, answer_cut, answer_cut ? "answer cut by a fault" : ""});
  current_delivery = p.deliveries.size() - 1;
}

void AfterHandler(const httplib::Request& req) {
  if (!current_delivery) return;
  const size_t id = *current_delivery;
  current_delivery.reset();
  std::string key;
  {
    std::lock_guard<std::mutex> lock(P().mu);
    key = P().deliveries[id].key;
  }
  MaybeHold(req, "after", key);
  std::lock_guard<std::mutex> lock(P().mu);
  Delivery& d = P().deliveries[id];
  d.finished_ms = NowMs();
  if (!d.answer_lost && PeerClosed(req)) {
    d.answer_lost = true;
    d.why = "client gone before the answer";
  }
}

void RegisterProofAdmin(httplib::Server& server, Sim& sim) {
  (void)sim;
  server.Post("/admin/hold", [](const httplib::Request& req, httplib::Response& res) {
    const json j = json::parse(req.body, nullptr, false);
    const std::string stage = j.is_object() ? j.value("stage", "") : "";
    if (stage != "before" && stage != "after") return SendError(res, 400, "bad_stage", "stage: before | after");
    std::lock_guard<std::mutex> lock(P().mu);
    if (P().hold.held) return SendError(res, 409, "holding", "a request is held: release it first");
    P().hold.armed = true;
    P().hold.stage = stage;
    P().hold.skip = std::max(0, j.value("skip", 0));
    res.set_content(HoldJson(P().hold).dump(), "application/json");
  });
  server.Get("/admin/hold", [](const httplib::Request&, httplib::Response& res) {
    std::lock_guard<std::mutex> lock(P().mu);
    res.set_content(HoldJson(P().hold).dump(), "application/json");
  });
  server.Post("/admin/release", [](const httplib::Request&, httplib::Response& res) {
    std::lock_guard<std::mutex> lock(P().mu);
    HoldState& h = P().hold;
    const json state = HoldJson(h);
    h.armed = false;
    if (h.held) {
      // Released from now on (a new hold may be armed at once); the held thread wakes and goes on.
      if (::write(h.release_fd, "r", 1) != 1) {
        return SendError(res, 500, "release_failed", "could not wake the held request");
      }
      h.held = false;
      h.release_fd = -1;
      ++h.generation;
    }
    res.set_content(state.dump(), "application/json");
  });
  server.Get("/admin/deliveries", [](const httplib::Request&, httplib::Response& res) {
    json out = json::array();
    std::lock_guard<std::mutex> lock(P().mu);
    for (const Delivery& d : P().deliveries) {
      out.push_back({{"key", d.key},
                     {"code", d.code},
                     {"started_ms", d.started_ms},
                     {"finished_ms", d.finished_ms},
                     {"answer_lost", d.answer_lost},
                     {"why", d.why}});
    }
    res.set_content(out.dump(), "application/json");
  });
}

}  // namespace portal_sim
