#include "lagsampler.h"

#include "jobs/localpool.h"

#include <spdlog/spdlog.h>
#include <utility>

namespace periscope::monitor {

LagSampler::LagSampler(client::ClusterClient *client, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_history(std::make_shared<LagHistory>())
{
    m_timer.setInterval(m_interval);
    // A tick during a refresh is skipped, not queued: a cluster slower to read than the
    // interval is then sampled as fast as it answers, not back to back forever.
    connect(&m_timer, &QTimer::timeout, this, [this] {
        if (!m_refreshing)
            start();
    });
    m_timer.start();
}

void LagSampler::setInterval(int ms)
{
    ms = std::max(0, ms);
    const bool changed = ms != m_interval;
    m_interval = ms;
    if (m_interval == 0)
        m_timer.stop();
    else
        m_timer.start(m_interval);
    if (changed)
        Q_EMIT intervalChanged(m_interval);
}

void LagSampler::setRules(LagRules rules)
{
    // Applied between evaluations: the history is only ever touched by one of them.
    auto history = std::make_shared<LagHistory>(rules);
    m_history = std::move(history);
}

void LagSampler::refresh()
{
    if (m_refreshing) {
        m_again = true;
        return;
    }
    start();
}

void LagSampler::start()
{
    m_refreshing = true;
    m_again = false;
    Q_EMIT refreshingChanged(true);
    m_client->sampleGroups().then(this, [this](const client::Result<client::GroupsSample> &r) {
        if (!r.ok()) {
            spdlog::warn("reading consumer groups failed: {}", r.error.message.toStdString());
            Q_EMIT failed(r.error);
            finish();
            return;
        }
        evaluate(r.value);
    });
}

void LagSampler::evaluate(const client::GroupsSample &sample)
{
    // 100,000 partitions take tens of milliseconds to evaluate: not on the GUI thread.
    jobs::localPool()
        .submit(
            [history = m_history, sample](const jobs::JobToken &) { return history->add(sample); })
        .then(this, [this](const SnapshotPtr &snapshot) {
            SnapshotPtr old = std::exchange(m_snapshot, snapshot);
            Q_EMIT updated();
            // The panes have moved to the new snapshot, so this is usually the last reference
            // to the old one: 100,000 partitions take longer to free than a frame lasts.
            if (old)
                jobs::localPool().submit([old = std::move(old)](const jobs::JobToken &) mutable {
                    old.reset();
                    return 0;
                });
            finish();
        });
}

void LagSampler::finish()
{
    m_refreshing = false;
    Q_EMIT refreshingChanged(false);
    if (m_again)
        start();
}

} // namespace periscope::monitor
