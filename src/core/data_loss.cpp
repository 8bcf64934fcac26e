#include "core/data_loss.hpp"

#include <algorithm>

namespace sonamu {

namespace {

const TableShape* find_table(const SchemaShape& shape, std::uint32_t id) {
  const auto it = std::lower_bound(shape.begin(), shape.end(), id,
                                   [](const TableShape& table, std::uint32_t wanted) { return table.id < wanted; });
  return it != shape.end() && it->id == id ? &*it : nullptr;
}

const ColumnShape* find_column(const TableShape& table, int number) {
  for (const auto& column : table.columns) {
    if (column.number == number) return &column;
  }
  return nullptr;
}

}  // namespace

std::vector<Loss> losses_between(const SchemaShape& before, const SchemaShape& after) {
  std::vector<Loss> losses;
  for (const auto& table : before) {
    const TableShape* now = find_table(after, table.id);
    if (now == nullptr) {
      losses.push_back({LossKind::table, table.id, 0, table.display, "", ""});
      continue;
    }
    for (const auto& column : table.columns) {
      const std::string display = table.display + "." + column.name;
      const ColumnShape* kept = find_column(*now, column.number);
      if (kept == nullptr) {
        losses.push_back({LossKind::column, table.id, column.number, display, "", ""});
      } else if (kept->type != column.type) {
        losses.push_back({LossKind::type_change, table.id, column.number, display, column.type, kept->type});
      }
    }
  }
  return losses;
}

const char* loss_kind_name(LossKind kind) {
  switch (kind) {
    case LossKind::table: return "table";
    case LossKind::column: return "column";
    case LossKind::type_change: return "type_change";
    case LossKind::unknown: return "unknown";
  }
  return "table";
}

}  // namespace sonamu
