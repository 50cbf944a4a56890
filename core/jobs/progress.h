#pragma once

#include "mailbox.h"

#include <QElapsedTimer>
#include <functional>

namespace periscope::jobs {

// A job's progress for whoever shows it: report() may be called as often as the job likes,
// and passes on at most one report per interval (and the last one asked for with force),
// through the receiver's mailbox. Without a mailbox it does nothing.
class ProgressReporter final
{
public:
    using Show = std::function<void(qint64 done, qint64 total)>;

    ProgressReporter() = default;
    ProgressReporter(MailboxPtr mailbox, Show show, int intervalMs = 100)
        : m_mailbox(std::move(mailbox))
        , m_show(std::move(show))
        , m_intervalMs(intervalMs)
    {
        m_clock.start();
    }

    void report(qint64 done, qint64 total, bool force = false)
    {
        if (!m_mailbox || !m_show || (!force && m_clock.elapsed() - m_last < m_intervalMs))
            return;
        m_last = m_clock.elapsed();
        m_mailbox->post([show = m_show, done, total] { show(done, total); });
    }

private:
    MailboxPtr m_mailbox;
    Show m_show;
    int m_intervalMs = 100;
    QElapsedTimer m_clock;
    qint64 m_last = -1000000;
};

} // namespace periscope::jobs
