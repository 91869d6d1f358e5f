// A counter decision that carries papers scanned at the counter (docs/scanning.md "At the
// counter", docs/portal.md "Counter decisions"): stored with the decision as sealed attachments of
// the dossier and counted; portal-sim (real HTTPS on loopback) refuses the decision with 428 until
// every attachment it lists has arrived whole; the syncer uploads them first and, after a 428,
// again, and the decision is recorded exactly once.
#include <catch2/catch.hpp>

#include "offline/domain/ids.h"
#include "offline/sync/enrolment.h"
#include "offline/sync/http.h"
#include "offline/sync/syncer.h"
#include "tests/sync/harness.h"

using namespace mck;
using namespace mck::test;
using nlohmann::json;

namespace {
struct Setup : EnrolledKiosk {
  std::unique_ptr<Store> store;
  std::string client_id;
  Setup() {
    store = kiosk.OpenStore();
    std::mt19937_64 rng(21);
    client_id = kiosk.SubmitDossiers(*store, 1, 0, rng).front();  // no scans at the kiosk
  }
  // The accept of the birth certificate, scanned at the counter into `pdf` (2 pages).
  static json Accept(const std::string& pdf) {
    return {{"decision", "accept"},
            {"officer", "CB07"},
            {"documents_received",
             {{{"id", "birth_certificate"},
               {"form", "original"},
               {"count", 1},
               {"digitised", {{"sha256", Sha256Hex(pdf)}, {"pages", 2}}}}}}};
  }
};

const std::string kPdf = "%PDF-1.5 counter scan of the birth certificate, two pages\n%%EOF\n";
}  // namespace

TEST_CASE("a decision's scanned paper is stored with it as a sealed attachment of the dossier and counted") {
  Setup s;
  Store& store = *s.store;
  // A digitised paper that is not one of the decision's attachments: refused, nothing stored.
  auto bad = store.decisions().Submit(s.client_id, Setup::Accept(kPdf), {{"x.pdf", "application/pdf", "other"}});
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().code() == Code::kInvalidArgument);
  CHECK(bad.status().message_en().find("documents_received[0].digitised.sha256") != std::string::npos);
  auto rec = store.dossiers().Get(s.client_id);
  REQUIRE(rec.ok());
  CHECK(store.decisions().For(*rec)->empty());
  CHECK(store.dossiers().Attachments(s.client_id)->empty());
  CHECK(store.dossiers().Attachment(Sha256Hex("other")).status().code() == Code::kNotFound);
  CHECK(store.dossiers().Digitised("2000-01-01")->dossiers_total == 0);

  auto key = store.decisions().Submit(s.client_id, Setup::Accept(kPdf), {{"birth_certificate.pdf", "application/pdf", kPdf}});
  INFO(key.status().ToString());
  REQUIRE(key.ok());
  auto decisions = store.decisions().For(*rec);
  REQUIRE(decisions->size() == 1);
  const json& body = decisions->front().body;
  CHECK(body["attachments"] == json::array({{{"sha256", Sha256Hex(kPdf)},
                                              {"name", "birth_certificate.pdf"},
                                              {"media_type", "application/pdf"},
                                              {"size", static_cast<int64_t>(kPdf.size())}}}));
  auto linked = store.dossiers().Attachments(s.client_id);
  REQUIRE(linked->size() == 1);
  CHECK(linked->front().sha256 == Sha256Hex(kPdf));
  CHECK(*store.dossiers().Attachment(Sha256Hex(kPdf)) == kPdf);
  const auto counts = store.dossiers().Digitised("2000-01-01");
  CHECK(counts->dossiers_total == 1);
  CHECK(counts->documents_total == 1);
  // The dossier itself is unchanged: its body names no attachment of the counter.
  CHECK(store.dossiers().Get(s.client_id)->body["attachments"].empty());
}

TEST_CASE("portal-sim answers 428 to a decision whose scan is not uploaded, and the syncer uploads it and posts once") {
  Setup s;
  auto syncer = s.kiosk.OpenSyncer(s.kiosk.sync_options());
  REQUIRE(syncer->RunOnce()->accepted == 1);  // the dossier reaches the portal first
  const std::string code = *s.store->dossiers().Get(s.client_id)->dossier_code;

  // Posted by hand, listing an attachment never uploaded: 428 naming it, nothing recorded.
  auto e = LoadEnrolment(*s.store);
  REQUIRE(e.ok());
  HttpOptions h;
  h.base_url = e->portal_url;
  h.ca_file = e->ca_file;
  REQUIRE(LoadClientKey(*e, &h).ok());
  auto http = HttpClient::Create(std::move(h));
  REQUIRE(http.ok());
  json bare = Setup::Accept(kPdf);
  bare["attachments"] = {{{"sha256", Sha256Hex(kPdf)},
                          {"name", "birth_certificate.pdf"},
                          {"media_type", "application/pdf"},
                          {"size", static_cast<int64_t>(kPdf.size())}}};
  PortalRequest req;
  req.method = "POST";
  req.path = "/api/v1/dossiers/" + code + "/decisions";
  req.headers = {{"Content-Type", "application/json"}, {"Idempotency-Key", NewUuidV4()}};
  req.body = bare.dump();
  auto resp = (*http)->Send(req);
  REQUIRE(resp.ok());
  CHECK(resp->status == 428);
  const json answer = json::parse(resp->body, nullptr, false);
  INFO(resp->body);
  CHECK(answer["error"]["code"] == "attachments_missing");
  CHECK(answer["error"]["details"][0]["sha256"] == Sha256Hex(kPdf));
  // A digitised paper that is not among the attachments: 422, nothing recorded either.
  json unlisted = Setup::Accept(kPdf);
  req.body = unlisted.dump();
  req.headers = {{"Content-Type", "application/json"}, {"Idempotency-Key", NewUuidV4()}};
  resp = (*http)->Send(req);
  REQUIRE(resp.ok());
  CHECK(resp->status == 422);
  CHECK(s.sim.Admin("GET", "/admin/decisions").empty());

  // The kiosk's decision: the upload is lost after its 204, so the first POST gets 428; the
  // syncer uploads again and posts again; the portal records it once.
  REQUIRE(s.store->decisions()
              .Submit(s.client_id, Setup::Accept(kPdf), {{"birth_certificate.pdf", "application/pdf", kPdf}})
              .ok());
  s.sim.SetFaults({{"lose_next_upload", true}});
  auto sum = syncer->RunOnce();
  REQUIRE(sum.ok());
  CHECK(sum->delivered == 1);
  CHECK(sum->attachments_uploaded == 2);  // once before the POST, once after the 428
  const json stats = s.sim.Admin("GET", "/admin/stats");
  CHECK(stats["counters"]["attachments.lost"] == 1);
  CHECK(stats["counters"]["decisions.428"] == 2);  // the hand-made one and the kiosk's first
  CHECK(stats["decisions"] == 1);
  const json decisions = s.sim.Admin("GET", "/admin/decisions");
  REQUIRE(decisions.size() == 1);
  CHECK(decisions[0]["dossier_code"] == code);
  CHECK(decisions[0]["attachments"] == json::array({Sha256Hex(kPdf)}));
  CHECK(decisions[0]["documents_received"][0]["digitised"]["sha256"] == Sha256Hex(kPdf));
  bool held = false;
  for (const auto& a : s.sim.Admin("GET", "/admin/attachments")) {
    if (a["sha256"] != Sha256Hex(kPdf)) continue;
    held = a["complete"] == true && a["data_sha256"] == Sha256Hex(kPdf);
  }
  CHECK(held);
  // Nothing more to send: another pass posts nothing, the portal still holds one decision.
  auto again = syncer->RunOnce();
  REQUIRE(again.ok());
  CHECK(again->delivered == 0);
  CHECK(s.sim.Admin("GET", "/admin/decisions").size() == 1);
  const json posts = s.sim.Admin("GET", "/admin/posts?endpoint=decisions");
  int kiosk_posts = 0;
  for (const auto& [key, n] : posts.items()) kiosk_posts = std::max(kiosk_posts, n.get<int>());
  CHECK(kiosk_posts == 2);  // the 428 and the one that was recorded
}
