#pragma once

namespace periscope::app {

// The end of the console's work, once its window (and with it every cluster) is gone:
// cancels the local jobs and waits up to `timeoutMs` for every job thread and librdkafka
// handle to end. False when some are still inside librdkafka (a blocking call cannot be
// interrupted); the caller should then leave without running static destructors.
bool endBackgroundWork(int timeoutMs);

} // namespace periscope::app
