#include "connections.h"

#include <QPointer>

namespace periscope::app {

Connections::Connections(profiles::ProfileStore *store, profiles::SecretStore *secrets,
                         QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_secrets(secrets)
{}

Connections::~Connections()
{
    disconnectAll();
}

client::ConnectionSettings Connections::settingsFor(const profiles::Profile &profile,
                                                    const profiles::Secrets &secrets)
{
    client::ConnectionSettings s;
    s.name = profile.name;
    s.properties = profiles::librdkafkaProperties(profile, secrets);
    return s;
}

void Connections::connectProfile(const QString &profileId)
{
    if (m_sessions.contains(profileId))
        return;
    const auto profile = m_store->findById(profileId);
    if (!profile) {
        Q_EMIT failed(profileId, tr("no such connection profile"));
        return;
    }
    QPointer<Connections> self(this);
    m_secrets->read(profileId, [self, p = *profile](const profiles::Secrets &secrets,
                                                    const QString &error) {
        if (!self || self->m_sessions.contains(p.id))
            return;
        if (!error.isEmpty() && p.usesSasl()) {
            Q_EMIT self->failed(p.id, tr("cannot read the password of %1: %2").arg(p.name, error));
            return;
        }
        auto *session = new client::ClusterSession(settingsFor(p, secrets), p.readOnly, self);
        QString why;
        if (!session->open(&why)) {
            delete session;
            Q_EMIT self->failed(p.id, tr("%1: %2").arg(p.name, why));
            return;
        }
        self->m_sessions.insert(p.id, session);
        Q_EMIT self->connected(p.id, session);
    });
}

void Connections::disconnectProfile(const QString &profileId)
{
    client::ClusterSession *session = m_sessions.take(profileId);
    if (!session)
        return;
    Q_EMIT disconnected(profileId);
    session->close(); // never waits: handles are released off the GUI thread
    session->deleteLater();
}

void Connections::disconnectAll()
{
    const auto ids = m_sessions.keys();
    for (const QString &id : ids)
        disconnectProfile(id);
}

client::ClusterSession *Connections::session(const QString &profileId) const
{
    return m_sessions.value(profileId);
}

void Connections::test(const profiles::Profile &profile, const profiles::Secrets &secrets,
                       std::function<void(bool, QString)> done)
{
    auto settings = settingsFor(profile, secrets);
    settings.requestTimeoutMs = 10000;
    auto *client = new client::ClusterClient(settings, this);
    QString why;
    if (!client->open(&why)) {
        client->deleteLater();
        done(false, why);
        return;
    }
    client->metadata().then(this, [client, done](const client::Result<client::ClusterMetadata> &r) {
        if (r.ok())
            done(true,
                 tr("Connected: %n broker(s), %1 topics", nullptr, int(r.value.brokers.size()))
                     .arg(r.value.topics.size()));
        else
            done(false, r.error.message);
        client->deleteLater();
    });
}

} // namespace periscope::app
