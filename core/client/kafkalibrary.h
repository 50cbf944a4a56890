// Loading librdkafka at run time (see kafkaapi.h for why and how core/client calls it).
#pragma once

class QString;

namespace periscope::client::kafkalibrary {

// Loads librdkafka if it is not loaded yet: the system's librdkafka.so.1, or the file named
// by PERISCOPE_LIBRDKAFKA. Thread-safe and cheap once done; the outcome is kept for the
// life of the process. False, with the loader's message in error, when it cannot be loaded.
bool load(QString *error = nullptr);

// Loads the library in a job of the local pool, so that the first request does not pay for it
// on whichever thread makes it. A failure is logged.
void loadInBackground();

// The address of a librdkafka function, loading the library first if needed. Ends the
// process with a message naming the library when it or the function cannot be found: no
// request can be made without it.
void *function(const char *name);

} // namespace periscope::client::kafkalibrary
