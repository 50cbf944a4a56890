#include "loghub.h"

#include "jobs/mailbox.h"

#include <chrono>
#include <mutex>
#include <spdlog/sinks/base_sink.h>

namespace periscope::logging {

// spdlog calls sink_it_ under base_sink's mutex on the logging thread; the pending list
// has its own mutex so the hub's drain never waits for a formatter.
class HubSink final : public spdlog::sinks::base_sink<std::mutex>
{
public:
    explicit HubSink(LogHub *hub)
        : m_hub(hub)
        , m_mailbox(jobs::Mailbox::create(hub))
    {}

    void detach()
    {
        m_mailbox->close();
        const std::lock_guard lock(m_pendingMutex);
        m_pending.clear();
    }

    QList<LogRecord> take(qint64 *dropped)
    {
        QList<LogRecord> batch;
        const std::lock_guard lock(m_pendingMutex);
        batch.swap(m_pending);
        *dropped = m_dropped;
        return batch;
    }

    qint64 dropped() const
    {
        const std::lock_guard lock(m_pendingMutex);
        return m_dropped;
    }

protected:
    void sink_it_(const spdlog::details::log_msg &msg) override
    {
        const auto ms =
            std::chrono::duration_cast<std::chrono::milliseconds>(msg.time.time_since_epoch());
        LogRecord record{
            QDateTime::fromMSecsSinceEpoch(ms.count()),
            int(msg.level),
            QString::fromUtf8(msg.logger_name.data(), qsizetype(msg.logger_name.size())),
            QString::fromUtf8(msg.payload.data(), qsizetype(msg.payload.size())),
        };

        if (m_mailbox->isClosed())
            return;
        bool wasEmpty = false;
        {
            const std::lock_guard lock(m_pendingMutex);
            wasEmpty = m_pending.isEmpty();
            if (m_pending.size() >= LogHub::MaxPending) {
                m_pending.removeFirst();
                ++m_dropped;
            }
            m_pending.append(std::move(record));
        }
        // One drain for whatever arrives until the hub's thread gets to it; the mailbox
        // drops it once the hub is gone.
        if (wasEmpty)
            m_mailbox->post([hub = m_hub] { hub->drain(); });
    }

    void flush_() override {}

private:
    mutable std::mutex m_pendingMutex;
    LogHub *m_hub; // reached only through the mailbox
    jobs::MailboxPtr m_mailbox;
    QList<LogRecord> m_pending;
    qint64 m_dropped = 0;
};

LogHub::LogHub(QObject *parent)
    : QObject(parent)
    , m_sink(std::make_shared<HubSink>(this))
{
    qRegisterMetaType<LogRecord>();
    qRegisterMetaType<QList<LogRecord>>();
}

LogHub::~LogHub()
{
    m_sink->detach();
}

std::shared_ptr<spdlog::sinks::sink> LogHub::sink() const
{
    return m_sink;
}

qint64 LogHub::droppedCount() const
{
    return m_sink->dropped();
}

void LogHub::drain()
{
    qint64 dropped = 0;
    QList<LogRecord> batch = m_sink->take(&dropped);
    if (dropped > m_reportedDrops) {
        const int missing = int(dropped - m_reportedDrops);
        m_reportedDrops = dropped;
        const QDateTime when = batch.isEmpty() ? QDateTime::currentDateTime() : batch.first().time;
        batch.prepend(
            LogRecord{when, int(spdlog::level::warn), QStringLiteral("periscope"),
                      tr("%n log line(s) dropped: the log view fell behind", nullptr, missing)});
    }
    if (!batch.isEmpty())
        Q_EMIT linesArrived(batch);
}

} // namespace periscope::logging
