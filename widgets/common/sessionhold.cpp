#include "common/sessionhold.h"

namespace periscope::widgets {

SessionHold::SessionHold(client::ClusterSession *session, monitor::LagSampler *sampler,
                         QObject *parent)
    : QObject(parent)
    , m_session(session)
    , m_sampler(sampler)
    , m_name(session ? session->name() : QString())
    , m_readOnly(session && session->readOnly())
{
    if (!session || session->isEnded()) {
        m_ended = true;
        return;
    }
    connect(session, &client::ClusterSession::ended, this, &SessionHold::end);
    connect(session, &QObject::destroyed, this, &SessionHold::end);
}

client::ClusterSession *SessionHold::session() const
{
    return m_ended ? nullptr : m_session.data();
}

client::ClusterClient *SessionHold::client() const
{
    client::ClusterSession *s = session();
    return s ? s->client() : nullptr;
}

monitor::LagSampler *SessionHold::sampler() const
{
    return m_ended ? nullptr : m_sampler.data();
}

QString SessionHold::endedText() const
{
    return tr("Disconnected from %1: this view no longer updates and nothing more can be "
              "sent. Connect again from the Clusters list.")
        .arg(m_name);
}

void SessionHold::end()
{
    if (m_ended)
        return;
    m_ended = true;
    Q_EMIT ended();
}

} // namespace periscope::widgets
