#pragma once

#include <QString>

namespace periscope::jobs {

// What a job answers when its work throws (our code does not throw; a failed allocation
// can): a value-initialised T unless a type says better, as client::Result does with an
// error. Every job answers, so no receiver waits forever on a flag it set.
template <typename T>
struct FailedAnswer
{
    static T make(const QString &) { return T{}; }
};

} // namespace periscope::jobs
