#include "kafkahandle.h"

#include "jobs/jobpool.h"
#include "kafkaapi.h"
#include "logging/redact.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <spdlog/spdlog.h>

namespace periscope::client {

namespace {

std::atomic<int> liveHandles{0};

struct Counter
{
    std::mutex mutex;
    std::condition_variable released;
};

Counter &counter()
{
    static Counter c;
    return c;
}

// Where handles are destroyed: never on the GUI thread, and not on a pool with a bound, since
// a destroy stuck in librdkafka would hold one of its threads for good. Its threads end as
// soon as they are idle, so at exit only destroys still running are waited for.
// A consumer in a group leaves it on close, which waits for the broker up to the session
// time-out (45 s by default) when the broker is gone, as at quit right after the local broker
// stopped. The group hears of the leave within this bound or not at all: then it expires
// the member as it would for a crashed client.
constexpr int kConsumerCloseMs = 500;

void closeConsumer(rd_kafka_t *handle)
{
    if (rd_kafka_consumer_closed(handle)) {
        rd_kafka_destroy_flags(handle, RD_KAFKA_DESTROY_F_NO_CONSUMER_CLOSE);
        return;
    }
    rd_kafka_queue_t *queue = rd_kafka_queue_new(handle);
    if (rd_kafka_error_t *error = rd_kafka_consumer_close_queue(handle, queue)) {
        rd_kafka_error_destroy(error);
    } else {
        const QDeadlineTimer deadline(kConsumerCloseMs);
        while (!rd_kafka_consumer_closed(handle) && !deadline.hasExpired())
            if (rd_kafka_event_t *event = rd_kafka_queue_poll(queue, 50))
                rd_kafka_event_destroy(event);
    }
    rd_kafka_queue_destroy(queue);
    rd_kafka_destroy_flags(handle, RD_KAFKA_DESTROY_F_NO_CONSUMER_CLOSE);
}

jobs::JobPool &releasePool()
{
    static jobs::JobPool pool(QStringLiteral("librdkafka release"), 64, 0);
    return pool;
}

// The callbacks' opaque: lives as long as the handle, so a callback never reaches a
// freed owner; the sink itself only queues.
struct Callbacks
{
    HandleEventSink sink;
};

void onError(rd_kafka_t *, int err, const char *reason, void *opaque)
{
    auto *cb = static_cast<Callbacks *>(opaque);
    cb->sink({HandleEvent::Kind::Error, err, QString(), QString::fromUtf8(reason)});
}

void onLog(const rd_kafka_t *rk, int level, const char *facility, const char *message)
{
    auto *cb = static_cast<Callbacks *>(rd_kafka_opaque(rk));
    if (cb)
        cb->sink({HandleEvent::Kind::Log, level, QString::fromUtf8(facility),
                  QString::fromUtf8(message)});
}

} // namespace

KafkaPtr makeHandle(HandleType type, const QMap<QString, QString> &properties, HandleEventSink sink,
                    QString *error, const ConfHook &configure)
{
    // Checked here because every request starts from a handle: without the library the
    // connection fails with this message instead of the process ending at the first call.
    if (QString why; !kafkalibrary::load(&why)) {
        if (error)
            *error = QCoreApplication::translate("periscope::client",
                                                 "cannot load the Kafka client library: %1")
                         .arg(why);
        return {};
    }
    char err[512];
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    // Defaults a console wants; the profile's own properties come after and win.
    const QMap<QString, QString> defaults = {
        {QStringLiteral("socket.keepalive.enable"), QStringLiteral("true")},
        {QStringLiteral("reconnect.backoff.max.ms"), QStringLiteral("5000")},
        {QStringLiteral("topic.metadata.refresh.interval.ms"), QStringLiteral("60000")},
        {QStringLiteral("log.connection.close"), QStringLiteral("false")},
    };
    auto set = [&](const QString &k, const QString &v) {
        if (rd_kafka_conf_set(conf, k.toUtf8().constData(), v.toUtf8().constData(), err,
                              sizeof err) != RD_KAFKA_CONF_OK) {
            if (error)
                *error = logging::redactSecrets(QString::fromUtf8(err));
            return false;
        }
        return true;
    };
    for (auto it = defaults.cbegin(); it != defaults.cend(); ++it)
        if (!properties.contains(it.key()) && !set(it.key(), it.value())) {
            rd_kafka_conf_destroy(conf);
            return {};
        }
    for (auto it = properties.cbegin(); it != properties.cend(); ++it)
        if (!set(it.key(), it.value())) {
            rd_kafka_conf_destroy(conf);
            return {};
        }
    auto *callbacks = new Callbacks{std::move(sink)};
    rd_kafka_conf_set_opaque(conf, callbacks);
    rd_kafka_conf_set_error_cb(conf, onError);
    rd_kafka_conf_set_log_cb(conf, onLog);
    if (configure)
        configure(conf);
    rd_kafka_t *rk =
        rd_kafka_new(type == HandleType::Producer ? RD_KAFKA_PRODUCER : RD_KAFKA_CONSUMER, conf,
                     err, sizeof err);
    if (!rk) {
        rd_kafka_conf_destroy(conf);
        delete callbacks;
        if (error)
            *error = logging::redactSecrets(QString::fromUtf8(err));
        return {};
    }
    ++liveHandles;
    return KafkaPtr(rk, [callbacks](rd_kafka_t *handle) {
        auto release = [handle, callbacks] {
            if (rd_kafka_type(handle) == RD_KAFKA_CONSUMER)
                closeConsumer(handle);
            else
                rd_kafka_destroy(handle);
            delete callbacks;
            const std::lock_guard lock(counter().mutex);
            --liveHandles;
            counter().released.notify_all();
        };
        releasePool().submit([release](const jobs::JobToken &) {
            release();
            return 0;
        });
    });
}

bool waitForReleasedHandles(int timeoutMs)
{
    std::unique_lock lock(counter().mutex);
    return counter().released.wait_for(lock, std::chrono::milliseconds(timeoutMs),
                                       [] { return liveHandles == 0; });
}

int liveHandleCount()
{
    return liveHandles;
}

void serveCallbacks(rd_kafka_s *rk)
{
    rd_kafka_poll(rk, 0);
}

} // namespace periscope::client
