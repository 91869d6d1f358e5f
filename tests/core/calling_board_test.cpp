// The calling display's content (kiosk/core/calling_board.h): per counter, the number served and
// the next few waiting, changing as numbers are issued and called; and the words of a call.
#include <catch2/catch.hpp>

#include "kiosk/core/calling_board.h"
#include "kiosk/core/tickets.h"
#include "tests/core/core_fixture.h"

using namespace mck;
using mck::test::Core;

namespace {

const core::CounterBoard& Row(const core::CallingBoard& b, const std::string& counter) {
  for (const auto& r : b.counters) {
    if (r.counter == counter) return r;
  }
  FAIL("no counter " << counter);
  throw 0;
}

}  // namespace

TEST_CASE("calling board: every counter shows the number served and the next few waiting, as numbers are called") {
  Core c;
  core::TicketDesk desk(*c.store, c.catalog, c.config);
  auto empty = core::ReadCallingBoard(*c.store, c.catalog, 3);
  REQUIRE(empty.ok());
  REQUIRE(empty->counters.size() == 5);  // CT, DD, HT, TP, XH in catalog order
  CHECK(Row(*empty, "HT").serving.empty());
  CHECK(Row(*empty, "HT").next.empty());
  CHECK(Row(*empty, "HT").name == "Hộ tịch, Nuôi con nuôi");  // every field routed to HT

  for (int i = 0; i < 5; ++i) {
    auto r = desk.Reserve("HT", std::nullopt);
    REQUIRE(r.ok());
    REQUIRE(desk.RecordPrint(r->ticket, Status::Ok()).ok());
  }
  auto pending = desk.Reserve("HT", std::nullopt);  // not printed yet: nobody holds it
  REQUIRE(pending.ok());
  auto waiting = core::ReadCallingBoard(*c.store, c.catalog, 3);
  REQUIRE(waiting.ok());
  CHECK(Row(*waiting, "HT").serving.empty());
  CHECK(Row(*waiting, "HT").next == std::vector<std::string>{"HT-001", "HT-002", "HT-003"});
  CHECK(Row(*waiting, "HT").waiting == 5);
  CHECK(Row(*waiting, "XH").waiting == 0);

  REQUIRE(desk.CallNext("HT").ok());
  c.clock.Advance(std::chrono::minutes(4));
  REQUIRE(desk.CallNext("HT").ok());
  auto served = core::ReadCallingBoard(*c.store, c.catalog, 3);
  REQUIRE(served.ok());
  CHECK(Row(*served, "HT").serving == "HT-002");
  CHECK(Row(*served, "HT").serving_number == 2);
  CHECK(Row(*served, "HT").next == std::vector<std::string>{"HT-003", "HT-004", "HT-005"});
  CHECK(Row(*served, "HT").waiting == 3);
  CHECK(*served != *waiting);
}

TEST_CASE("calling board: a call's words name the number digit by digit and the counter, nothing else") {
  Core c;
  Ticket t;
  t.counter = "HT";
  t.number = 12;
  t.dossier_client_id = "not-said";
  CHECK(core::CallWords(c.catalog, t) == "Mời số không một hai đến quầy Hộ tịch, Nuôi con nuôi");
}
