#pragma once

// A connection profile: everything needed to reach one cluster except the secrets, which
// live in the keychain (see SecretStore) so that profiles.json can be shared or backed up.

#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QMetaType>
#include <QPair>
#include <QString>
#include <QStringList>
#include <optional>

namespace periscope::profiles {

struct Secrets
{
    QString password;          // SASL PLAIN/SCRAM password (or Event Hubs connection string)
    QString keyPassword;       // passphrase of the TLS private key
    QString oauthClientSecret; // OIDC client credentials secret

    bool isEmpty() const
    {
        return password.isEmpty() && keyPassword.isEmpty() && oauthClientSecret.isEmpty();
    }
    bool operator==(const Secrets &) const = default;
};

struct Profile
{
    enum class SecurityProtocol { Plaintext, Ssl, SaslPlaintext, SaslSsl };
    enum class SaslMechanism { Plain, ScramSha256, ScramSha512, OAuthBearer, Gssapi };

    QString id; // a UUID without braces; stable across renames
    QString name;
    QString bootstrap; // HOST:PORT[,HOST:PORT...]
    SecurityProtocol securityProtocol = SecurityProtocol::Plaintext;
    SaslMechanism saslMechanism = SaslMechanism::Plain;
    QString username;
    QString caFile;
    QString certFile;
    QString keyFile;
    bool verifyHostname = true;
    QString oauthTokenEndpoint;
    QString oauthClientId;
    QString oauthScope;
    QString kerberosServiceName;
    QString kerberosPrincipal;
    QString kerberosKeytab;
    QList<QPair<QString, QString>> extraProperties; // applied last: they override ours
    bool readOnly = false;
    QString colour;       // "#rrggbb" or empty; core has no QColor
    bool isLocal = false; // the profile of the bundled periscope-broker

    bool usesSasl() const;
    bool usesTls() const;
    bool operator==(const Profile &) const = default;
};

// A fresh id for a new profile.
QString newProfileId();

// The names librdkafka uses ("sasl_ssl", "SCRAM-SHA-512"); also used in profiles.json.
QString protocolName(Profile::SecurityProtocol protocol);
QString mechanismName(Profile::SaslMechanism mechanism);
std::optional<Profile::SecurityProtocol> protocolFromName(const QString &name);
std::optional<Profile::SaslMechanism> mechanismFromName(const QString &name);

// Never writes secrets. fromJson() is lenient: unknown or missing fields keep defaults.
QJsonObject toJson(const Profile &profile);
Profile fromJson(const QJsonObject &object);

// The librdkafka configuration for a profile; extra properties come last and win.
QMap<QString, QString> librdkafkaProperties(const Profile &profile, const Secrets &secrets);

// Empty when `bootstrap` is a valid HOST:PORT list, otherwise a message for the user.
QString validateBootstrap(const QString &bootstrap);

// librdkafka and Java client keys whose values are secrets.
QStringList secretPropertyNames();
bool isSecretProperty(const QString &key);

// Replaces the value of every secret key in "key=value" (or "key: value") text with "***",
// so that configuration dumps can be logged.
QString redact(QString text);

} // namespace periscope::profiles

Q_DECLARE_METATYPE(periscope::profiles::Profile)
Q_DECLARE_METATYPE(periscope::profiles::Secrets)
