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
        // The handle is made off this thread; a configuration librdkafka refuses (a bad
        // property, a missing certificate file) ends the connection with its reason.
        connect(session->client(), &client::ClusterClient::openFailed, self,
                [self, id = p.id, name = p.name](const QString &why) {
                    if (!self)
                        return;
                    self->disconnectProfile(id);
                    Q_EMIT self->failed(id, tr("%1: %2").arg(name, why));
                });
        self->m_sessions.insert(p.id, session);
        session->open(); // before anyone asks it for anything
        Q_EMIT self->connected(p.id, session);
    });
}

void Connections::disconnectProfile(const QString &profileId)
{
    client::ClusterSession *session = m_sessions.take(profileId);
    if (!session)
        return;
    // Panes and dialogs holding the session hear of it (ended()) before it goes; its jobs
    // are cancelled and their results dropped. Nothing here waits for librdkafka.
    session->close();
    Q_EMIT disconnected(profileId);
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
    // One answer, whichever comes first: the handle refused, or the metadata's outcome.
    auto answer = [client, done, answered = std::make_shared<bool>(false)](bool ok,
                                                                           const QString &text) {
        if (std::exchange(*answered, true))
            return;
        done(ok, text);
        client->deleteLater();
    };
    connect(client, &client::ClusterClient::openFailed, this,
            [answer](const QString &why) { answer(false, why); });
    client->open();
    // Queued behind the handle's making.
    client->metadata().then(client, [answer](const client::Result<client::ClusterMetadata> &r) {
        if (r.ok())
            answer(true,
                   tr("Connected: %n broker(s), %1 topics", nullptr, int(r.value.brokers.size()))
                       .arg(r.value.topics.size()));
        else
            answer(false, r.error.message);
    });
}

} // namespace periscope::app
