#pragma once

#include "client/clustersession.h"
#include "profiles/profilestore.h"
#include "profiles/secretstore.h"

#include <QHash>
#include <QObject>

namespace periscope::app {

// Which profiles are connected: reads a profile's secrets, builds its client settings and
// owns the resulting session until it is disconnected.
class Connections final : public QObject
{
    Q_OBJECT
public:
    Connections(profiles::ProfileStore *store, profiles::SecretStore *secrets,
                QObject *parent = nullptr);
    ~Connections() override;

    // Asynchronous: connected() or failed() follows.
    void connectProfile(const QString &profileId);
    void disconnectProfile(const QString &profileId);
    void disconnectAll();
    client::ClusterSession *session(const QString &profileId) const;
    QList<QString> connectedIds() const { return m_sessions.keys(); }
    // Test connection for the profile dialog: one metadata request on a throw-away client.
    void test(const profiles::Profile &profile, const profiles::Secrets &secrets,
              std::function<void(bool ok, QString message)> done);

Q_SIGNALS:
    void connected(const QString &profileId, periscope::client::ClusterSession *session);
    void disconnected(const QString &profileId);
    void failed(const QString &profileId, const QString &message);

private:
    static client::ConnectionSettings settingsFor(const profiles::Profile &profile,
                                                  const profiles::Secrets &secrets);

    profiles::ProfileStore *m_store;
    profiles::SecretStore *m_secrets;
    QHash<QString, client::ClusterSession *> m_sessions;
};

} // namespace periscope::app
