#include "browsesession.h"

#include "browseworker.h"

#include <thread>

namespace periscope::client {

struct BrowseSession::Shared : BrowseChannel
{};

void BrowseChannel::post(std::function<void(BrowseSession *)> call)
{
    std::lock_guard lock(mutex);
    if (owner)
        QMetaObject::invokeMethod(
            owner, [o = owner, call = std::move(call)] { call(o); }, Qt::QueuedConnection);
}

BrowseSession::BrowseSession(QMap<QString, QString> properties, BrowseRequest request,
                             QObject *parent)
    : QObject(parent)
    , m_properties(std::move(properties))
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
    m_shared = std::make_shared<Shared>();
    m_shared->owner = this;
    std::shared_ptr<BrowseChannel> channel = m_shared;
    std::thread([channel, properties = m_properties, request = m_request] {
        runBrowse(channel, properties, request);
    }).detach();
}

void BrowseSession::cancel()
{
    stopWorker();
    if (m_running)
        Q_EMIT finished({});
}

void BrowseSession::stopWorker()
{
    if (!m_shared)
        return;
    const std::shared_ptr<Shared> shared = std::move(m_shared);
    shared->cancelled = true;
    {
        std::lock_guard lock(shared->mutex);
        shared->owner = nullptr;
    }
}

} // namespace periscope::client
