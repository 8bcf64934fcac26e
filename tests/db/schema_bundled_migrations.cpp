// The project's migrations, compiled into the database tests so that they register here as
// they do in the `sonamu` executable. Each file gets a namespace of its own, as each defines
// its own `up` and `down`; the registered names still come from the migration's file name.
#include <sonamu/migration.hpp>

namespace bundled_1 {
#include "../../migrations/20251220143022_create__users.cpp"
}
namespace bundled_2 {
#include "../../migrations/20251220143100_create__posts.cpp"
}
namespace bundled_3 {
#include "../../migrations/20251220143200_alter_users_add1.cpp"
}
namespace bundled_4 {
#include "../../migrations/20251220143300_alter_posts_add1.cpp"
}
namespace bundled_5 {
#include "../../migrations/20251220150000_alter_users_add2.cpp"
}
namespace bundled_6 {
#include "../../migrations/20251220150100_alter_posts_add2.cpp"
}
