#include "offline/store/officers.h"

#include <algorithm>

#include "offline/domain/utf8.h"
#include "offline/store/audit.h"
#include "offline/store/core.h"
#include "offline/store/pin_record.h"
#include "offline/store/staff_auth.h"

namespace mck {

namespace {

constexpr const char* kColumns = "id, name, title, counters, disabled_at, created_at, locked_until, sign_in";
constexpr const char* kTechnician = "technician";

std::string JoinCounters(const std::vector<std::string>& counters) {
  std::string out;
  for (const auto& c : counters) out += (out.empty() ? "" : ",") + c;
  return out;
}

std::vector<std::string> SplitCounters(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < s.size()) {
    size_t end = s.find(',', start);
    if (end == std::string::npos) end = s.size();
    if (end > start) out.push_back(s.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

Officer ReadOfficer(const Stmt& s) {
  Officer o;
  o.id = s.Text(0);
  o.name = s.Text(1);
  o.title = s.Text(2);
  o.counters = SplitCounters(s.Text(3));
  o.disabled = s.OptText(4).has_value();
  o.created_at = s.Text(5);
  o.locked_until = s.Int(6);
  o.sign_in = s.Text(7);
  return o;
}

Status NoSuchOfficer(const std::string& id) {
  return Status::Error(Code::kNotFound, "no officer with id " + id, "Không có cán bộ mã " + id);
}

// The officer's PIN rules: the staff PIN's (6-12 digits, not trivial) and never the technician's.
Status CheckOfficerPin(Db& db, const std::string& pin) {
  MCK_RETURN_IF_ERROR(StaffAuth::CheckNewPin(PinRole::kStaff, pin));
  auto s = db.Prepare("SELECT value FROM settings WHERE key = 'technician.pin'");
  if (!s.ok()) return s.status();
  Status st;
  if (!s->Step(&st)) return st;
  auto same = PinRecordMatches(s->Text(0), pin);
  if (!same.ok()) return same.status();
  if (*same) {
    return Status::Error(Code::kInvalidArgument, "an officer's PIN must differ from the technician PIN",
                         "Mã PIN của cán bộ phải khác mã PIN kỹ thuật viên");
  }
  return Status::Ok();
}

// Runs `up` (an UPDATE of one officer by id, bound by the caller) and its audit row in one
// transaction; kNotFound when no row changed.
template <typename Bind>
Status UpdateOne(Db& db, const std::string& id, const std::string& sql, Bind bind, const std::string& at,
                 const std::string& actor, const std::string& action, const std::string& detail) {
  return WithTransaction(db, [&]() -> Status {
    auto up = db.Prepare(sql);
    if (!up.ok()) return up.status();
    bind(*up);
    MCK_RETURN_IF_ERROR(up->Run());
    if (sqlite3_changes(db.raw()) == 0) return NoSuchOfficer(id);
    return AppendAudit(db, at, actor, action, OfficerBook::Actor(id), detail);
  });
}

}  // namespace

Status OfficerBook::CheckOfficer(const Officer& o) {
  std::vector<std::string> vi, en;
  const bool id_ok = !o.id.empty() && o.id.size() <= 32 &&
                     std::all_of(o.id.begin(), o.id.end(), [](char c) {
                       return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
                     });
  if (!id_ok) {
    en.push_back("the officer id must be 1-32 of a-z 0-9 . _ -");
    vi.push_back("Mã cán bộ gồm 1 đến 32 ký tự a-z, 0-9, dấu chấm, gạch dưới hoặc gạch ngang");
  }
  const std::string name = Trim(o.name);
  if (name.empty() || name.size() > 120 || !IsValidUtf8(name)) {
    en.push_back("the officer's name is required (at most 120 bytes of UTF-8)");
    vi.push_back("Cần nhập họ tên cán bộ (tối đa 120 byte)");
  }
  if (o.title.size() > 160 || !IsValidUtf8(o.title)) {
    en.push_back("the title is at most 160 bytes of UTF-8");
    vi.push_back("Chức danh tối đa 160 byte");
  }
  for (const auto& c : o.counters) {
    if (c.empty() || c.size() > 16 || c.find(',') != std::string::npos) {
      en.push_back("a counter is 1-16 characters without a comma");
      vi.push_back("Mã quầy gồm 1 đến 16 ký tự, không có dấu phẩy");
      break;
    }
  }
  if (vi.empty()) return Status::Ok();
  std::string e, v;
  for (size_t i = 0; i < vi.size(); ++i) {
    e += (i ? "; " : "") + en[i];
    v += (i ? "\n" : "") + vi[i];
  }
  return Status::Error(Code::kInvalidArgument, e, v);
}

Status OfficerBook::Add(const Officer& officer, const std::string& pin, const OfficerPinPolicy& policy) {
  Officer o = officer;
  o.name = ToNfc(Trim(o.name)).value_or(o.name);  // invalid UTF-8 stays as it was: CheckOfficer refuses it
  o.title = ToNfc(Trim(o.title)).value_or(o.title);
  MCK_RETURN_IF_ERROR(CheckOfficer(o));
  Db& db = *core_.db;
  const bool token = o.sign_in == "token";
  if (token && !pin.empty()) {
    return Status::Error(Code::kInvalidArgument, "an officer who signs in with the signing token has no PIN of their own",
                         "Cán bộ đăng nhập bằng thiết bị ký số không có mã PIN riêng");
  }
  if (!token) MCK_RETURN_IF_ERROR(CheckOfficerPin(db, pin));
  // PBKDF2 outside the write lock.
  const std::string record = token ? std::string() : MakePinRecord(pin, policy.iterations);
  const std::string at = FormatRfc3339Vietnam(core_.Now());
  return WithTransaction(db, [&]() -> Status {
    auto exists = db.Prepare("SELECT 1 FROM officers WHERE id = ?");
    if (!exists.ok()) return exists.status();
    exists->Bind(1, o.id);
    Status st;
    if (exists->Step(&st)) {
      return Status::Error(Code::kAlreadyExists, "an officer with id " + o.id + " exists",
                           "Đã có cán bộ mã " + o.id);
    }
    MCK_RETURN_IF_ERROR(st);
    auto ins = db.Prepare(
        "INSERT INTO officers(id, name, title, counters, pin_record, created_at, updated_at, sign_in) "
        "VALUES(?,?,?,?,?,?,?,?)");
    if (!ins.ok()) return ins.status();
    ins->Bind(1, o.id).Bind(2, o.name).Bind(3, o.title).Bind(4, JoinCounters(o.counters)).Bind(5, record);
    ins->Bind(6, at).Bind(7, at).Bind(8, token ? "token" : "pin");
    MCK_RETURN_IF_ERROR(ins->Run());
    return AppendAudit(db, at, kTechnician, "officer.added", Actor(o.id),
                       "counters=" + JoinCounters(o.counters) + (token ? " sign_in=token" : ""));
  });
}

Result<std::vector<Officer>> OfficerBook::List() {
  auto s = core_.db->Prepare(std::string("SELECT ") + kColumns +
                             " FROM officers ORDER BY disabled_at IS NOT NULL, name, id");
  if (!s.ok()) return s.status();
  std::vector<Officer> out;
  Status st;
  while (s->Step(&st)) out.push_back(ReadOfficer(*s));
  MCK_RETURN_IF_ERROR(st);
  return out;
}

Result<bool> OfficerBook::AnyEnabled() {
  auto s = core_.db->Prepare("SELECT EXISTS(SELECT 1 FROM officers WHERE disabled_at IS NULL)");
  if (!s.ok()) return s.status();
  Status st;
  if (!s->Step(&st)) return st.ok() ? Status::Error(Code::kInternal, "EXISTS returned no row") : st;
  return s->Int(0) != 0;
}

Result<Officer> OfficerBook::Get(const std::string& id) {
  auto s = core_.db->Prepare(std::string("SELECT ") + kColumns + " FROM officers WHERE id = ?");
  if (!s.ok()) return s.status();
  s->Bind(1, id);
  Status st;
  if (!s->Step(&st)) {
    MCK_RETURN_IF_ERROR(st);
    return NoSuchOfficer(id);
  }
  return ReadOfficer(*s);
}

Status OfficerBook::SetDisabled(const std::string& id, bool disabled) {
  const std::string at = FormatRfc3339Vietnam(core_.Now());
  return UpdateOne(
      *core_.db, id, "UPDATE officers SET disabled_at = ?, updated_at = ? WHERE id = ?",
      [&](Stmt& s) {
        if (disabled) {
          s.Bind(1, at);
        } else {
          s.BindNull(1);
        }
        s.Bind(2, at).Bind(3, id);
      },
      at, kTechnician, disabled ? "officer.disabled" : "officer.enabled", "");
}

Status OfficerBook::ResetPin(const std::string& id, const std::string& pin, const OfficerPinPolicy& policy) {
  auto o = Get(id);
  if (!o.ok()) return o.status();
  if (o->sign_in == "token") {
    return Status::Error(Code::kFailedPrecondition, "officer " + id + " signs in with the signing token's PIN",
                         "Cán bộ " + id + " đăng nhập bằng mã PIN của thiết bị ký số; mã PIN đó do thiết bị quản lý");
  }
  MCK_RETURN_IF_ERROR(CheckOfficerPin(*core_.db, pin));
  const std::string record = MakePinRecord(pin, policy.iterations);
  const std::string at = FormatRfc3339Vietnam(core_.Now());
  return UpdateOne(
      *core_.db, id,
      "UPDATE officers SET pin_record = ?, failures = 0, locked_until = 0, lockouts = 0, updated_at = ? WHERE id = ?",
      [&](Stmt& s) { s.Bind(1, record).Bind(2, at).Bind(3, id); }, at, kTechnician, "officer.pin_reset", "");
}

Status OfficerBook::Unlock(const std::string& id) {
  const std::string at = FormatRfc3339Vietnam(core_.Now());
  return UpdateOne(
      *core_.db, id, "UPDATE officers SET failures = 0, locked_until = 0, lockouts = 0, updated_at = ? WHERE id = ?",
      [&](Stmt& s) { s.Bind(1, at).Bind(2, id); }, at, kTechnician, "officer.unlocked_by_technician", "");
}

Result<OfficerSignIn> OfficerBook::SignIn(const std::string& id, const std::string& pin,
                                          const OfficerPinPolicy& policy) {
  Db& db = *core_.db;
  const TimePoint now_tp = core_.Now();
  const int64_t now = UnixSeconds(now_tp);
  const std::string at = FormatRfc3339Vietnam(now_tp);
  OfficerSignIn r;
  Officer o;
  std::string record;
  int64_t failures = 0, lockouts = 0;
  {  // the read statement is released before the write transaction
    auto s = db.Prepare(std::string("SELECT ") + kColumns + ", pin_record, failures, lockouts FROM officers WHERE id = ?");
    if (!s.ok()) return s.status();
    s->Bind(1, id);
    Status st;
    if (!s->Step(&st)) {
      MCK_RETURN_IF_ERROR(st);
      r.check = OfficerCheck::kUnknown;
      return r;
    }
    o = ReadOfficer(*s);
    record = s->Text(8);
    failures = s->Int(9) + 1;
    lockouts = s->Int(10);
  }
  if (o.disabled) {
    r.check = OfficerCheck::kDisabled;
    return r;
  }
  if (o.locked_until > now) {
    r.check = OfficerCheck::kLocked;
    r.locked_for_s = o.locked_until - now;
    return r;
  }
  if (o.sign_in == "token") {
    // Their own PIN does not exist: the token checks its PIN (SignedInWithToken).
    r.check = OfficerCheck::kUseToken;
    r.officer = o;
    return r;
  }
  auto match = PinRecordMatches(record, pin);
  if (!match.ok()) return match.status();
  const std::string actor = Actor(id);
  if (*match) {
    MCK_RETURN_IF_ERROR(UpdateOne(
        db, id, "UPDATE officers SET failures = 0, lockouts = 0 WHERE id = ?", [&](Stmt& u) { u.Bind(1, id); }, at,
        actor, "officer.signed_in", ""));
    r.check = OfficerCheck::kOk;
    r.officer = o;
    return r;
  }
  if (failures >= policy.max_attempts) {
    const int64_t lock_s = LockoutLadder(policy.lockout, lockouts).count();
    MCK_RETURN_IF_ERROR(UpdateOne(
        db, id, "UPDATE officers SET failures = 0, locked_until = ?, lockouts = lockouts + 1 WHERE id = ?",
        [&](Stmt& u) { u.Bind(1, now + lock_s).Bind(2, id); }, at, actor, "officer.pin_locked",
        "failures=" + std::to_string(failures) + " lockout_s=" + std::to_string(lock_s)));
    r.check = OfficerCheck::kLocked;
    r.locked_for_s = lock_s;
    return r;
  }
  MCK_RETURN_IF_ERROR(UpdateOne(
      db, id, "UPDATE officers SET failures = ? WHERE id = ?", [&](Stmt& u) { u.Bind(1, failures).Bind(2, id); }, at,
      actor, "officer.pin_wrong", "failures=" + std::to_string(failures)));
  r.check = OfficerCheck::kWrong;
  r.attempts_left = static_cast<int>(policy.max_attempts - failures);
  return r;
}

Result<OfficerSignIn> OfficerBook::SignedInWithToken(const std::string& id, const std::string& certificate_serial) {
  OfficerSignIn r;
  auto o = Get(id);
  if (!o.ok()) {
    if (o.status().code() != Code::kNotFound) return o.status();
    r.check = OfficerCheck::kUnknown;
    return r;
  }
  if (o->disabled) {
    r.check = OfficerCheck::kDisabled;
    return r;
  }
  if (o->sign_in != "token") {
    return Status::Error(Code::kFailedPrecondition, "officer " + id + " signs in with their own PIN",
                         "Cán bộ " + id + " đăng nhập bằng mã PIN riêng");
  }
  const std::string at = FormatRfc3339Vietnam(core_.Now());
  MCK_RETURN_IF_ERROR(WithTransaction(*core_.db, [&]() -> Status {
    return AppendAudit(*core_.db, at, Actor(id), "officer.signed_in", Actor(id), "by=token serial=" + certificate_serial);
  }));
  r.check = OfficerCheck::kOk;
  r.officer = *o;
  return r;
}

Status OfficerBook::SignedOut(const std::string& id, const std::string& why) {
  const std::string at = FormatRfc3339Vietnam(core_.Now());
  return WithTransaction(*core_.db, [&]() -> Status {
    return AppendAudit(*core_.db, at, Actor(id), "officer.signed_out", Actor(id), "why=" + why);
  });
}

}  // namespace mck
