#pragma once

// Ownership of a librdkafka handle shared by the jobs that use it. rd_kafka_destroy() waits
// for librdkafka's own threads and, in 2.0.x, can wait forever after a topic vanished under
// a fetch (confluentinc/librdkafka#4486): whoever lets go of the handle last, it is destroyed
// in a job of a pool kept for that alone, so neither the GUI nor a bounded pool waits.

#include <QMap>
#include <QString>
#include <functional>
#include <memory>

struct rd_kafka_s;
struct rd_kafka_conf_s;

namespace periscope::client {

using KafkaPtr = std::shared_ptr<rd_kafka_s>;

// What librdkafka reports outside any request, handed to the owner as it comes.
struct HandleEvent
{
    enum class Kind { Error, Log };
    Kind kind = Kind::Error;
    int code = 0;     // rd_kafka_resp_err_t for errors, syslog level for logs
    QString facility; // librdkafka's log facility ("FAIL" for connection failures)
    QString text;
};
using HandleEventSink = std::function<void(const HandleEvent &)>;

// A producer handle (used for metadata, offsets and admin requests) or a consumer handle.
// Returns null and sets *error on a bad configuration. `configure` may set what properties
// cannot, such as a producer's delivery-report callback, just before the handle is made.
enum class HandleType { Producer, Consumer };
using ConfHook = std::function<void(rd_kafka_conf_s *)>;
KafkaPtr makeHandle(HandleType type, const QMap<QString, QString> &properties, HandleEventSink sink,
                    QString *error, const ConfHook &configure = {});

// At exit: waits up to `timeoutMs` for every handle to be destroyed. False when some are
// still going (a librdkafka thread stuck in a destroy): the caller should then leave
// without running static destructors under that thread's feet.
bool waitForReleasedHandles(int timeoutMs);
int liveHandleCount();

// Runs the callbacks librdkafka queued for the application (errors) without waiting.
void serveCallbacks(rd_kafka_s *rk);

} // namespace periscope::client
