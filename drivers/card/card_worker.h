// CardWorker: runs one CardReader on its own thread, so the UI never blocks on a card. It watches
// readers and cards (WaitForChange) and performs a read when asked; everything it learns goes to
// one sink callback. This is the "one thread per blocking device" of the project's threading
// rule: the UI thread calls RequestRead / CancelRead (cheap, never blocking) and receives events.
//
// Threading: the sink is called on the worker thread, one event at a time; it must not block
// long (push into the UI's event queue and wake the UI). Every public method may be called from
// any thread. The destructor cancels whatever runs and joins the thread.
#pragma once

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "drivers/card/card_reader.h"

namespace mck::card {

struct CardWorkerEvent {
  enum class Kind {
    kDevice,        // `device`: a reader or card came or went
    kDeviceError,   // `status`: watching failed (pcscd down, ...); retried every second
    kProgress,      // `done`/`total` of read `request`
    kReadFinished,  // read `request` ended: `identity` or `status` (CardProblemOf tells which)
  };
  Kind kind = Kind::kDevice;
  uint64_t request = 0;
  CardEvent device{};
  size_t done = 0, total = 0;
  std::optional<Identity> identity;
  Status status;
};

class CardWorker {
 public:
  using Sink = std::function<void(CardWorkerEvent)>;
  CardWorker(std::unique_ptr<CardReader> reader, Sink sink);
  ~CardWorker();
  CardWorker(const CardWorker&) = delete;
  CardWorker& operator=(const CardWorker&) = delete;

  // Queues a read (replacing one not yet started) and returns its request number, echoed in the
  // kProgress / kReadFinished events. `reader` empty: the first reader with a card.
  uint64_t RequestRead(AccessKey key, std::string reader = {});
  // Cancels the queued or running read: it finishes with CardProblem::kCancelled. A read already
  // at its last step may still finish with its result: ignore results of cancelled requests.
  void CancelRead();

 private:
  void Run();

  std::unique_ptr<CardReader> reader_;
  Sink sink_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  bool reading_ = false;
  uint64_t next_request_ = 1;
  struct Pending {
    uint64_t id;
    AccessKey key;
    std::string reader;
  };
  std::optional<Pending> pending_;
  std::thread thread_;
};

}  // namespace mck::card
