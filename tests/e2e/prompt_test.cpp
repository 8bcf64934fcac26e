// The confirmation question of a rollback that deletes data: while it waits the tool holds no
// lock at all (no transaction, no migration lock), Ctrl-C there ends the command with 130, and
// an answer given while another runner changed the records is not applied to the new ones.
#include "../support/wait_until.hpp"
#include "e2e.hpp"

#include <catch2/catch.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace sonamu::test;

namespace {

/// The bundled migrations applied, with a phone number that their rollback deletes.
void users_with_phone(const TestDatabase& db) {
  REQUIRE(migrate(db, {"run", "--to", "20251220143100_create__posts"}).exit_code == 0);
  REQUIRE(migrate(db, {"up"}).exit_code == 0);  // batch 2 adds users.phone
  db.query(R"(INSERT INTO "users" ("email", "phone") VALUES ('a@example.com', '010'), ('b@example.com', NULL))");
}

/// `migrate rollback` on a terminal (`script`), its keyboard a FIFO this test writes to.
class PromptedRollback {
 public:
  explicit PromptedRollback(const TestDatabase& db) : scratch_("sonamu-prompt") {
    const std::string keyboard = (scratch_.path() / "keyboard").string();
    REQUIRE(::mkfifo(keyboard.c_str(), 0600) == 0);
    // Open for reading and writing, so this never waits for the other end.
    keyboard_ = ::open(keyboard.c_str(), O_RDWR);
    REQUIRE(keyboard_ >= 0);
    ProcessSpec spec;
    spec.argv = {"/bin/bash", "-c", "exec script -qec \"$0 migrate rollback -c dbname=$1\" /dev/null < \"$2\"",
                 SONAMU_BINARY, db.name(), keyboard};
    spec.cwd = empty_directory();
    spec.env["DATABASE_URL"] = std::nullopt;
    process_ = std::make_unique<Process>(spec);
    REQUIRE(process_->wait_for_output("Roll back and delete this data? [y/N]"));
  }
  ~PromptedRollback() {
    if (keyboard_ >= 0) ::close(keyboard_);
  }
  PromptedRollback(const PromptedRollback&) = delete;
  PromptedRollback& operator=(const PromptedRollback&) = delete;

  /// Types `keys` on the terminal.
  void type(const std::string& keys) { REQUIRE(::write(keyboard_, keys.data(), keys.size()) == static_cast<ssize_t>(keys.size())); }
  ProcessResult wait() { return process_->wait(); }

 private:
  ScratchDirectory scratch_;
  int keyboard_ = -1;
  std::unique_ptr<Process> process_;
};

/// Locks of any kind held in the test database, by anyone.
std::string locks_in(const TestDatabase& db, const std::string& kind_condition) {
  return db.scalar("SELECT count(*) FROM pg_locks l LEFT JOIN pg_class c ON c.oid = l.relation "
                   "WHERE l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) "
                   "AND l.pid <> pg_backend_pid() AND " + kind_condition);
}

}  // namespace

TEST_CASE("while the question waits the migration lock is free: another runner does not wait") {
  TestDatabase db;
  users_with_phone(db);
  PromptedRollback prompt(db);
  CHECK(locks_in(db, "l.locktype = 'advisory'") == "0");
  CHECK(locks_in(db, "l.locktype = 'relation'") == "0");
  // `unlock` refuses while a runner holds the migration lock: here it has nothing to refuse.
  const auto other = migrate(db, {"unlock"});
  CHECK(other.exit_code == 0);
  prompt.type("n\n");
  const auto result = prompt.wait();
  CHECK(result.exit_code == 1);
  CHECK_THAT(result.out, Catch::Contains("Error: Rollback cancelled: nothing was changed"));
  CHECK(db.scalar("SELECT count(phone) FROM users") == "1");
}

TEST_CASE("Ctrl-C at the question ends the command with 130, nothing changed") {
  TestDatabase db;
  users_with_phone(db);
  PromptedRollback prompt(db);
  prompt.type("\x03");  // the terminal turns it into SIGINT for the tool
  const auto result = prompt.wait();
  CHECK(result.exit_code == 130);
  CHECK(db.scalar("SELECT count(phone) FROM users") == "1");
  CHECK(db.scalar("SELECT max(batch) FROM knex_migrations") == "2");
}

TEST_CASE("records changed by another runner while the question waited: exit 5, nothing more changed") {
  TestDatabase db;
  users_with_phone(db);
  PromptedRollback prompt(db);
  // Off a terminal another rollback proceeds unattended: it reverts batch 2 meanwhile.
  const auto other = migrate(db, {"rollback"});
  REQUIRE(other.exit_code == 0);
  prompt.type("y\n");
  const auto result = prompt.wait();
  CHECK(result.exit_code == 5);
  CHECK_THAT(result.out, Catch::Contains("changed while the confirmation was asked"));
  // Batch 1, which the answer was never about, is still applied.
  CHECK(db.scalar("SELECT count(*) || ':' || max(batch) FROM knex_migrations") == "2:1");
  CHECK(db.scalar("SELECT to_regclass('users') IS NOT NULL") == "t");
}
