#pragma once

#include "logrecord.h"

#include <QObject>
#include <memory>

namespace spdlog::sinks {
class sink;
}

namespace periscope::logging {

class HubSink;

// Collects log records from any thread and hands them to its own thread in batches:
// one linesArrived() per event-loop turn, however many lines were logged meanwhile.
// The sink it owns may outlive it (spdlog keeps loggers until exit); records logged
// after the hub is gone are dropped.
class LogHub final : public QObject
{
    Q_OBJECT
public:
    static constexpr int MaxPending = 10000;

    explicit LogHub(QObject *parent = nullptr);
    ~LogHub() override;

    std::shared_ptr<spdlog::sinks::sink> sink() const;
    // Records discarded because the hub's thread fell more than MaxPending behind.
    qint64 droppedCount() const;

Q_SIGNALS:
    void linesArrived(const QList<periscope::logging::LogRecord> &records);

private:
    friend class HubSink;
    void drain();

    std::shared_ptr<HubSink> m_sink;
    qint64 m_reportedDrops = 0;
};

} // namespace periscope::logging
