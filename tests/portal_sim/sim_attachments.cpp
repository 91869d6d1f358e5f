// Resumable attachments (tus 1.0 core, as the contract says): HEAD for the offset, PATCH chunks,
// SHA-256 checked when the last byte arrives.
#include "offline/domain/clock.h"
#include "offline/domain/ids.h"
#include "tests/portal_sim/sim_http.h"

namespace portal_sim {

using httplib::Request;
using httplib::Response;

namespace {

void HeadAttachment(Sim& sim, const Request& req, Response& res) {
  auto c = Begin(sim, req, res, "");
  if (!c) return;
  if (c->fault == Fault::kDropRequest) return DropConnection(req);
  std::lock_guard<std::mutex> lock(sim.mu);
  res.set_header("Tus-Resumable", "1.0.0");
  res.set_header("Cache-Control", "no-store");
  auto s = sim.db->Prepare("SELECT offset, length FROM attachments WHERE sha256 = ?");
  s->Bind(1, std::string(req.matches[1]));
  mck::Status st;
  if (!s->Step(&st)) {
    res.status = 404;
    return;
  }
  res.status = 200;
  res.set_header("Upload-Offset", std::to_string(s->Int(0)));
  res.set_header("Upload-Length", std::to_string(s->Int(1)));
  if (c->fault == Fault::kDropResponse) DropConnection(req);
}

// Under sim.mu: appends `bytes` at `offset` (which the caller checked). Returns the new offset,
// or -1 after a SHA-256 mismatch (the upload is discarded).
int64_t Append(Sim& sim, const std::string& sha, int64_t offset, const std::string& bytes, int64_t length) {
  auto s = sim.db->Prepare("SELECT data FROM attachments WHERE sha256 = ?");
  s->Bind(1, sha);
  mck::Status st;
  std::string data = s->Step(&st) ? s->Blob(0) : std::string();
  data.resize(static_cast<size_t>(offset));
  data += bytes;
  const int64_t next = static_cast<int64_t>(data.size());
  if (next == length && mck::Sha256Hex(data) != sha) {
    auto del = sim.db->Prepare("DELETE FROM attachments WHERE sha256 = ?");
    del->Bind(1, sha);
    (void)del->Run();
    sim.Count("attachments.checksum_mismatch");
    return -1;
  }
  auto up =
      sim.db->Prepare("UPDATE attachments SET data = ?, offset = ?, complete = ?, updated_at = ? WHERE sha256 = ?");
  up->BindBlob(1, data).Bind(2, next).Bind(3, next == length ? 1 : 0).Bind(4, NowVn()).Bind(5, sha);
  (void)up->Run();
  if (next == length) sim.Count("attachments.completed");
  return next;
}

void PatchAttachment(Sim& sim, const Request& req, Response& res, const httplib::ContentReader& reader) {
  constexpr size_t kMaxChunk = 8 * 1024 * 1024;
  const std::string sha = req.matches[1];
  auto c = Begin(sim, req, res, "");
  // Read the body whatever happens, so the connection stays in step (or cut it).
  const size_t declared = static_cast<size_t>(HeaderU64(req, "Content-Length"));
  const bool drop = c && c->fault == Fault::kDropRequest;
  std::string bytes;
  bool too_big = false;
  const bool read_all = reader([&](const char* data, size_t n) {
    bytes.append(data, n);
    if (bytes.size() > kMaxChunk) too_big = true;
    return !too_big && !(drop && bytes.size() >= declared / 2 && declared > 1);
  });
  // A body not read to its end leaves the connection out of step: whatever the answer, cut it.
  struct CutIfPartial {
    const Request& req;
    bool read_all;
    ~CutIfPartial() {
      if (!read_all) DropConnection(req);
    }
  } cut{req, read_all && !too_big};
  if (too_big || !c) return;  // too big, or answered by Begin (fault or identity)
  res.set_header("Tus-Resumable", "1.0.0");
  if (req.get_header_value("Content-Type") != "application/offset+octet-stream") {
    return SendError(res, 415, "unsupported_media_type", "PATCH needs Content-Type: application/offset+octet-stream");
  }
  if (!req.has_header("Upload-Offset")) return SendError(res, 400, "upload_offset_required", "Upload-Offset missing");
  const int64_t client_offset = static_cast<int64_t>(HeaderU64(req, "Upload-Offset"));
  std::lock_guard<std::mutex> lock(sim.mu);
  auto s = sim.db->Prepare("SELECT length, offset, complete FROM attachments WHERE sha256 = ?");
  s->Bind(1, sha);
  mck::Status st;
  int64_t length = 0, offset = 0;
  bool complete = false;
  if (s->Step(&st)) {
    length = s->Int(0);
    offset = s->Int(1);
    complete = s->Int(2) != 0;
    if (req.has_header("Upload-Length") && static_cast<int64_t>(HeaderU64(req, "Upload-Length")) != length) {
      return SendError(res, 400, "upload_length_mismatch", "Upload-Length differs from the upload's");
    }
  } else {
    if (!req.has_header("Upload-Length"))
      return SendError(res, 400, "upload_length_required", "first PATCH needs Upload-Length");
    length = static_cast<int64_t>(HeaderU64(req, "Upload-Length"));
    if (length <= 0 || length > 64 * 1024 * 1024) return SendError(res, 413, "too_large", "attachments up to 64 MiB");
    auto ins = sim.db->Prepare(
        "INSERT INTO attachments(sha256, length, offset, data, complete, updated_at) VALUES(?,?,0,?,0,?)");
    ins->Bind(1, sha).Bind(2, length).BindBlob(3, "").Bind(4, NowVn());
    (void)ins->Run();
  }
  if (complete || client_offset != offset) {
    res.set_header("Upload-Offset", std::to_string(offset));
    return SendError(res, 409, "offset_mismatch", "Upload-Offset does not match the bytes received");
  }
  if (client_offset + static_cast<int64_t>(bytes.size()) > length) {
    return SendError(res, 400, "beyond_length", "the chunk goes past Upload-Length");
  }
  const int64_t next = Append(sim, sha, offset, bytes, length);
  if (drop) {
    sim.Count("attachments.partial_kept");
    return DropConnection(req);
  }
  if (!read_all) return;  // the client went away mid-chunk: what arrived is kept (tus)
  if (next < 0) return SendError(res, 422, "checksum_mismatch", "the bytes received do not match the SHA-256");
  if (next == length && sim.faults.lose_next_upload) {
    // A storage node that lost the file after acknowledging it: the dossier's POST will get 428.
    sim.faults.lose_next_upload = false;
    auto del = sim.db->Prepare("DELETE FROM attachments WHERE sha256 = ?");
    del->Bind(1, sha);
    (void)del->Run();
    sim.Count("attachments.lost");
  }
  res.status = 204;
  res.set_header("Upload-Offset", std::to_string(next));
  if (c->fault == Fault::kDropResponse) DropConnection(req);
}

}  // namespace

void RegisterAttachments(httplib::Server& server, Sim& sim) {
  server.Get(R"(/api/v1/attachments/([0-9a-f]{64}))",
             [&](const Request& q, Response& r) { HeadAttachment(sim, q, r); });
  server.Patch(
      R"(/api/v1/attachments/([0-9a-f]{64}))",
      [&](const Request& q, Response& r, const httplib::ContentReader& reader) { PatchAttachment(sim, q, r, reader); });
}

}  // namespace portal_sim
