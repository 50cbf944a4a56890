#include "browsesession.h"

#include "browseworker.h"
#include "clusterclient.h"

namespace periscope::client {

BrowseSession::BrowseSession(ClusterClient *client, BrowseRequest request, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_request(std::move(request))
{
    // The worker's last word: the session is stopped before anyone hears of it.
    connect(
        this, &BrowseSession::finished, this, [this] { m_running = false; }, Qt::DirectConnection);
}

BrowseSession::~BrowseSession()
{
    stopWorker();
}

void BrowseSession::start()
{
    if (m_running)
        return;
    m_running = true;
    if (!m_client) {
        // Not from here: the receiver connects after start() returns only in odd callers,
        // and a queued end keeps the order every caller expects.
        QMetaObject::invokeMethod(
            this,
            [this] {
                if (m_running)
                    Q_EMIT finished({ClientError::Kind::Cancelled, tr("disconnected"), false});
            },
            Qt::QueuedConnection);
        return;
    }
    m_mailbox = jobs::Mailbox::create(this, kQueuedBatches);
    auto pending = m_client->browsePool().submit(
        [mailbox = m_mailbox, properties = m_client->settings().properties, request = m_request,
         self = this](const jobs::JobToken &token) {
            runBrowse(token, BrowseOutbox{mailbox, self}, properties, request);
            return 0;
        });
    m_jobId = pending.id();
    m_cancelJob = [pending] { pending.cancel(); };
}

void BrowseSession::cancel()
{
    stopWorker();
    if (m_running)
        Q_EMIT finished({});
}

void BrowseSession::stopWorker()
{
    if (m_cancelJob)
        std::exchange(m_cancelJob, {})();
    if (m_mailbox)
        std::exchange(m_mailbox, {})->close();
}

} // namespace periscope::client
