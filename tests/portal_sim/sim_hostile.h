// Hostile or broken portal answers scripted by tests (sim_hostile.cpp). Internal to portal-sim.
#pragma once

#include <httplib.h>

#include "tests/portal_sim/sim.h"

namespace portal_sim {

// Under sim.mu: answers `req` with a scripted hostile answer when one matches (true).
bool ApplyHostileAnswer(Sim& sim, const httplib::Request& req, httplib::Response& res);
void RegisterHostile(httplib::Server& admin, Sim& sim);

}  // namespace portal_sim
