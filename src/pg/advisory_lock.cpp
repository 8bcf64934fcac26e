#include "pg/advisory_lock.hpp"

#include "core/error.hpp"
#include "core/interrupt.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <pqxx/nontransaction>

#include <thread>

namespace sonamu::pg {

namespace {

using clock = std::chrono::steady_clock;

std::chrono::milliseconds since(clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(clock::now() - start);
}

/// How often a waiting command tells who holds the lock (it may change hands).
constexpr std::chrono::milliseconds tell_every{1000};

}  // namespace

AdvisoryLock::AdvisoryLock(pqxx::connection_base& cx, const Store& store, std::chrono::milliseconds timeout,
                           const MigrationLockObserver& observer)
    : cx_(cx), store_(store) {
  const auto start = clock::now();
  const auto deadline = start + timeout;
  auto pause = std::chrono::milliseconds(20);
  std::optional<clock::time_point> told;
  // Whatever ends the wait (the lock, its expiry, a signal), the observer hears that it ended.
  const auto end_wait = [&] {
    if (told && observer) observer(std::nullopt);
  };
  for (;;) {
    try {
      throw_if_interrupted();  // Ctrl-C while waiting: stop waiting
      pqxx::nontransaction ntx(cx_);
      if (store_.try_advisory_lock(ntx)) {
        spdlog::debug("acquired migration lock (advisory key {}) after {} ms", store_.advisory_key(), since(start).count());
        end_wait();
        return;
      }
      if (!told) {
        spdlog::debug("waiting for migration lock (advisory key {}), held by {}", store_.advisory_key(),
                      store_.advisory_lock_holder(ntx));
      }
      if (!told || clock::now() - *told >= tell_every) {
        told = clock::now();
        if (observer) observer(MigrationLockWait{store_.advisory_lock_session(ntx), since(start)});
      }
      if (clock::now() >= deadline) {
        const std::string holder = store_.advisory_lock_holder(ntx);
        throw Error(ExitCode::locked,
                    fmt::format("Timed out after {:g}s waiting for the migration lock on {}.{}, held by {}",
                                static_cast<double>(timeout.count()) / 1000.0, store_.location().schema,
                                store_.location().table, holder));
      }
    } catch (...) {
      end_wait();
      throw;
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock::now());
    std::this_thread::sleep_for(std::max(std::chrono::milliseconds(1), std::min(pause, left)));
    pause = std::min(pause * 2, std::chrono::milliseconds(250));
  }
}

AdvisoryLock::~AdvisoryLock() {
  try {
    pqxx::nontransaction ntx(cx_);
    store_.release_advisory_lock(ntx);
    spdlog::debug("released migration lock");
  } catch (...) {
    // The connection is gone; the server released the lock with the session.
  }
}

}  // namespace sonamu::pg
