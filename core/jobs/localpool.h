#pragma once

#include "jobpool.h"

namespace periscope::jobs {

// The pool for local work that is not a cluster's: export, filters, decoding, sorting,
// imports, freeing large snapshots. Made on first use (on the application's thread) and
// owned by the application object, which shuts it down when it goes.
JobPool &localPool();

// How many jobs of local work run at once.
int localPoolThreads();

// Shuts the local pool down now (cancel, then wait up to `timeoutMs`); false when some job
// is still running. For the end of main(); localPool() makes a new one if used after.
bool shutdownLocalPool(int timeoutMs);

} // namespace periscope::jobs
