#pragma once
/// A rollback that asks its question on a terminal, for the e2e tests of what happens while
/// the question waits and after it is answered.

#include "e2e.hpp"

#include <catch2/catch.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <memory>
#include <string>

namespace sonamu::test {

/// The bundled migrations applied, with a phone number that their rollback deletes.
inline void users_with_phone(const TestDatabase& db) {
  REQUIRE(migrate(db, {"run", "--to", "20251220143100_create__posts"}).exit_code == 0);
  REQUIRE(migrate(db, {"up"}).exit_code == 0);  // batch 2 adds users.phone
  db.query(R"(INSERT INTO "users" ("email", "phone") VALUES ('a@example.com', '010'), ('b@example.com', NULL))");
}

/// `migrate rollback <options>` on a terminal (`script`), its keyboard a FIFO this test writes
/// to; constructed once the question "Roll back and delete this data? [y/N]" is on the screen.
class PromptedRollback {
 public:
  /// `options` go into the command line of `script` as they are: words without spaces or quotes.
  explicit PromptedRollback(const TestDatabase& db, const std::string& options = "")
      : PromptedRollback(db, options, SONAMU_BINARY, "Roll back and delete this data? [y/N]") {}
  /// The same with the migrations of `binary`, constructed once `question` is on the screen.
  PromptedRollback(const TestDatabase& db, const std::string& options, const std::string& binary,
                   const std::string& question)
      : scratch_("sonamu-prompt") {
    const std::string keyboard = (scratch_.path() / "keyboard").string();
    REQUIRE(::mkfifo(keyboard.c_str(), 0600) == 0);
    // Open for reading and writing, so this never waits for the other end.
    keyboard_ = ::open(keyboard.c_str(), O_RDWR);
    REQUIRE(keyboard_ >= 0);
    ProcessSpec spec;
    spec.argv = {"/bin/bash", "-c", "exec script -qec \"$0 migrate rollback $3 -c dbname=$1\" /dev/null < \"$2\"",
                 binary, db.name(), keyboard, options};
    spec.cwd = empty_directory();
    spec.env["DATABASE_URL"] = std::nullopt;
    process_ = std::make_unique<Process>(spec);
    REQUIRE(process_->wait_for_output(question));
  }
  ~PromptedRollback() { close_keyboard(); }
  PromptedRollback(const PromptedRollback&) = delete;
  PromptedRollback& operator=(const PromptedRollback&) = delete;

  /// Types `keys` on the terminal.
  void type(const std::string& keys) {
    REQUIRE(::write(keyboard_, keys.data(), keys.size()) == static_cast<ssize_t>(keys.size()));
  }
  /// Closes this end of the keyboard: nothing more is typed.
  void close_keyboard() {
    if (keyboard_ >= 0) ::close(keyboard_);
    keyboard_ = -1;
  }
  ProcessResult wait() { return process_->wait(); }

 private:
  ScratchDirectory scratch_;
  int keyboard_ = -1;
  std::unique_ptr<Process> process_;
};

}  // namespace sonamu::test
