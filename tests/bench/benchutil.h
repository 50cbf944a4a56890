#pragma once

#include <QString>
#include <cstdio>

namespace periscope::bench {

// Prints one figure in the form scripts read:
// bench: NAME value=V unit=U ref=R ref_value=RV ratio=V/RV
inline void report(const char *name, double value, const char *unit, const char *ref,
                   double refValue)
{
    std::printf("bench: %s value=%.6g unit=%s ref=%s ref_value=%.6g ratio=%.3f\n", name, value,
                unit, ref, refValue, refValue != 0 ? value / refValue : 0.0);
    std::fflush(stdout);
}

} // namespace periscope::bench
