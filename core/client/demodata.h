#pragma once

#include "jobs/jobpool.h"

#include <QObject>
#include <QString>
#include <functional>
#include <memory>

namespace periscope::client {

// Fills a cluster with sample topics, messages and consumer groups for `--demo-data`, so
// every view has something to show: JSON orders, text audit lines, binary sensor values,
// a dead-letter topic with null and empty values, an empty and a compacted topic. Then a
// slow `order-processor` group keeps consuming (Stable, with lag) and new orders keep
// arriving until stop(). Running it again on the same cluster only tops topics up to
// their sample count, it never duplicates.
//
// All librdkafka work runs as one job on a pool of its own; nothing here waits for it, not
// even the destructor, which cancels the job.
class DemoData final : public QObject
{
    Q_OBJECT
public:
    explicit DemoData(QString bootstrap, QObject *parent = nullptr);
    ~DemoData() override;

    // Returns at once; ready() or failed() tells the outcome. Ignored while running.
    void start();
    // Stops the background consumer and producer; returns at once.
    void stop();
    bool isRunning() const;
    QString bootstrap() const { return m_bootstrap; }

Q_SIGNALS:
    // The topics are filled and the groups exist; `summary` is for the status bar.
    void ready(const QString &summary);
    void failed(const QString &message);

private:
    struct Run;
    static void work(const std::shared_ptr<Run> &run, const jobs::JobToken &token);

    QString m_bootstrap;
    jobs::JobPool m_pool;
    std::shared_ptr<Run> m_run;
    std::function<void()> m_cancel;
};

} // namespace periscope::client
