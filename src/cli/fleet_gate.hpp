#pragma once
/// How many of a fleet's targets may be connected to one server at once: its budget
/// (`--parallel-per-server` or the fleet's `parallelPerServer`, else `--parallel`) at
/// first, lowered for the rest of the run each time the server turns a connection away for
/// lack of slots (the targets already connected there are all it has room for).

#include "core/fleet.hpp"

#include <condition_variable>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace sonamu::cli {

/// The connection budget of every server of one fleet run, shared by its workers.
class FleetGates {
 public:
  /// `per_server` targets at once on each server (at most `parallel`, the fleet's workers).
  explicit FleetGates(unsigned per_server) : parallel_(per_server == 0 ? 1 : per_server) {}

  /// Waits until `server` has room for one more connected target and takes it. Returns false,
  /// without taking it, once a signal has arrived.
  bool enter(const std::string& server);
  /// Gives the place taken by enter() back.
  void leave(const std::string& server);
  /// The server turned the connection of a target that holds a place away for lack of slots:
  /// its budget becomes what the other targets hold (at least 1), and the place is given back.
  void turned_away(const std::string& server, const std::string& reason);

  /// The servers that turned connections away, in name order.
  std::vector<Throttle> throttles() const;

 private:
  struct Gate {
    unsigned limit;
    unsigned in_use = 0;
    std::string reason;  ///< empty: never lowered
  };

  Gate& gate(const std::string& server);

  unsigned parallel_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::map<std::string, Gate> gates_;
};

/// A place taken with FleetGates::enter, given back when destroyed.
class GateSlot {
 public:
  GateSlot() = default;
  ~GateSlot() { release(); }
  GateSlot(const GateSlot&) = delete;
  GateSlot& operator=(const GateSlot&) = delete;

  /// Takes a place at `server` (see FleetGates::enter).
  bool take(FleetGates& gates, const std::string& server);
  /// Gives the place back because the server turned the connection away.
  void turned_away(const std::string& reason);
  void release();

 private:
  FleetGates* gates_ = nullptr;
  std::string server_;
};

}  // namespace sonamu::cli
