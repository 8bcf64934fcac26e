#include "cli/fleet_gate.hpp"

#include "core/interrupt.hpp"

#include <algorithm>
#include <chrono>

namespace sonamu::cli {

FleetGates::Gate& FleetGates::gate(const std::string& server) {
  return gates_.try_emplace(server, Gate{parallel_}).first->second;
}

bool FleetGates::enter(const std::string& server) {
  std::unique_lock<std::mutex> lock(mutex_);
  Gate& entered = gate(server);
  // A signal is looked for now and then: the targets being waited for may take long.
  while (entered.in_use >= entered.limit) {
    if (interrupt_signal() != 0) return false;
    changed_.wait_for(lock, std::chrono::milliseconds(100));
  }
  if (interrupt_signal() != 0) return false;
  ++entered.in_use;
  return true;
}

void FleetGates::leave(const std::string& server) {
  {
    std::lock_guard<std::mutex> guard(mutex_);
    --gate(server).in_use;
  }
  changed_.notify_all();
}

void FleetGates::turned_away(const std::string& server, const std::string& reason) {
  {
    std::lock_guard<std::mutex> guard(mutex_);
    Gate& refused = gate(server);
    refused.limit = std::max(1u, std::min(refused.limit, refused.in_use - 1));
    refused.reason = reason;
    --refused.in_use;
  }
  changed_.notify_all();
}

std::vector<Throttle> FleetGates::throttles() const {
  std::lock_guard<std::mutex> guard(mutex_);
  std::vector<Throttle> lowered;
  for (const auto& [server, gate] : gates_) {
    if (!gate.reason.empty()) lowered.push_back({server, gate.limit, gate.reason});
  }
  return lowered;
}

bool GateSlot::take(FleetGates& gates, const std::string& server) {
  release();
  if (!gates.enter(server)) return false;
  gates_ = &gates;
  server_ = server;
  return true;
}

void GateSlot::turned_away(const std::string& reason) {
  if (gates_ == nullptr) return;
  gates_->turned_away(server_, reason);
  gates_ = nullptr;
}

void GateSlot::release() {
  if (gates_ == nullptr) return;
  gates_->leave(server_);
  gates_ = nullptr;
}

}  // namespace sonamu::cli
