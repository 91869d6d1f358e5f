// kioskctl metrics — the kiosk's Prometheus figures (docs/monitoring.md), on stdout or written
// atomically to a file (for a node_exporter textfile collector fed by a timer).
#include <iostream>

#include "kiosk/ctl/command.h"
#include "offline/store/store.h"
#include "offline/sync/metrics.h"

namespace mck::ctl {
namespace {

int Metrics(Context& ctx) {
  auto out = ctx.TakeOption("--out");
  if (!ctx.ExpectArgs(0, "metrics [--out FILE]")) return kExitBadInput;
  if (out && out->empty()) {
    std::cerr << "Thiếu tên tệp sau --out / --out needs a file name\n";
    return kExitBadInput;
  }
  auto cfg = ctx.Config();
  if (!cfg.ok()) return ctx.Fail(cfg.status());
  auto store = ctx.OpenStore();
  if (!store.ok()) return ctx.Fail(store.status());
  MetricsInputs in;
  in.version = MCK_VERSION;
  in.now = std::chrono::system_clock::now();
  in.data_dir = (*cfg)->data_dir;
  auto m = CollectMetrics(**store, in);
  if (!m.ok()) return ctx.Fail(m.status());
  const std::string text = RenderPrometheus(*m);
  if (!out) {
    std::cout << text << std::flush;
    return kExitOk;
  }
  if (Status st = WriteFileAtomically(*out, text); !st.ok()) return ctx.Fail(st);
  return kExitOk;
}

const CommandRegistration kMetrics({"metrics", "[--out FILE]",
                                    "Print the kiosk's figures in the Prometheus text format (or write them "
                                    "atomically to FILE, for node_exporter's textfile collector)",
                                    Metrics});

}  // namespace
}  // namespace mck::ctl
