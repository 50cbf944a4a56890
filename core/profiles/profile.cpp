#include "profile.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QRegularExpression>
#include <QUuid>
#include <array>
#include <utility>

namespace periscope::profiles {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("periscope::profiles", text);
}

using Protocol = Profile::SecurityProtocol;
using Mechanism = Profile::SaslMechanism;

constexpr std::array kProtocols{
    std::pair{Protocol::Plaintext, "plaintext"},
    std::pair{Protocol::Ssl, "ssl"},
    std::pair{Protocol::SaslPlaintext, "sasl_plaintext"},
    std::pair{Protocol::SaslSsl, "sasl_ssl"},
};

constexpr std::array kMechanisms{
    std::pair{Mechanism::Plain, "PLAIN"},
    std::pair{Mechanism::ScramSha256, "SCRAM-SHA-256"},
    std::pair{Mechanism::ScramSha512, "SCRAM-SHA-512"},
    std::pair{Mechanism::OAuthBearer, "OAUTHBEARER"},
    std::pair{Mechanism::Gssapi, "GSSAPI"},
};

void insertIfSet(QMap<QString, QString> &map, const char *key, const QString &value)
{
    if (!value.isEmpty())
        map.insert(QString::fromLatin1(key), value);
}

// Keys whose value runs to the end of the line (JAAS configs contain spaces and quotes).
const QStringList &lineValuedSecretKeys()
{
    static const QStringList keys{QStringLiteral("sasl.jaas.config"),
                                  QStringLiteral("sasl.oauthbearer.config")};
    return keys;
}

QString keyAlternation(const QStringList &keys)
{
    QStringList escaped;
    for (const QString &key : keys)
        escaped << QRegularExpression::escape(key);
    return escaped.join(QLatin1Char('|'));
}

} // namespace

bool Profile::usesSasl() const
{
    return securityProtocol == SecurityProtocol::SaslPlaintext ||
           securityProtocol == SecurityProtocol::SaslSsl;
}

bool Profile::usesTls() const
{
    return securityProtocol == SecurityProtocol::Ssl ||
           securityProtocol == SecurityProtocol::SaslSsl;
}

QString newProfileId()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

QString protocolName(Profile::SecurityProtocol protocol)
{
    for (const auto &[value, name] : kProtocols)
        if (value == protocol)
            return QString::fromLatin1(name);
    return {};
}

QString mechanismName(Profile::SaslMechanism mechanism)
{
    for (const auto &[value, name] : kMechanisms)
        if (value == mechanism)
            return QString::fromLatin1(name);
    return {};
}

std::optional<Profile::SecurityProtocol> protocolFromName(const QString &name)
{
    const QString wanted = name.trimmed();
    for (const auto &[value, text] : kProtocols)
        if (wanted.compare(QLatin1String(text), Qt::CaseInsensitive) == 0)
            return value;
    return std::nullopt;
}

std::optional<Profile::SaslMechanism> mechanismFromName(const QString &name)
{
    const QString wanted = name.trimmed();
    for (const auto &[value, text] : kMechanisms)
        if (wanted.compare(QLatin1String(text), Qt::CaseInsensitive) == 0)
            return value;
    return std::nullopt;
}

QJsonObject toJson(const Profile &profile)
{
    QJsonArray extras;
    for (const auto &[key, value] : profile.extraProperties)
        extras.append(QJsonObject{{QStringLiteral("key"), key}, {QStringLiteral("value"), value}});
    return QJsonObject{
        {QStringLiteral("id"), profile.id},
        {QStringLiteral("name"), profile.name},
        {QStringLiteral("bootstrap"), profile.bootstrap},
        {QStringLiteral("securityProtocol"), protocolName(profile.securityProtocol)},
        {QStringLiteral("saslMechanism"), mechanismName(profile.saslMechanism)},
        {QStringLiteral("username"), profile.username},
        {QStringLiteral("caFile"), profile.caFile},
        {QStringLiteral("certFile"), profile.certFile},
        {QStringLiteral("keyFile"), profile.keyFile},
        {QStringLiteral("verifyHostname"), profile.verifyHostname},
        {QStringLiteral("oauthTokenEndpoint"), profile.oauthTokenEndpoint},
        {QStringLiteral("oauthClientId"), profile.oauthClientId},
        {QStringLiteral("oauthScope"), profile.oauthScope},
        {QStringLiteral("kerberosServiceName"), profile.kerberosServiceName},
        {QStringLiteral("kerberosPrincipal"), profile.kerberosPrincipal},
        {QStringLiteral("kerberosKeytab"), profile.kerberosKeytab},
        {QStringLiteral("extraProperties"), extras},
        {QStringLiteral("readOnly"), profile.readOnly},
        {QStringLiteral("colour"), profile.colour},
        {QStringLiteral("isLocal"), profile.isLocal},
    };
}

Profile fromJson(const QJsonObject &o)
{
    const auto text = [&o](const char *key) { return o.value(QLatin1String(key)).toString(); };
    Profile p;
    p.id = text("id");
    p.name = text("name");
    p.bootstrap = text("bootstrap");
    p.securityProtocol = protocolFromName(text("securityProtocol")).value_or(p.securityProtocol);
    p.saslMechanism = mechanismFromName(text("saslMechanism")).value_or(p.saslMechanism);
    p.username = text("username");
    p.caFile = text("caFile");
    p.certFile = text("certFile");
    p.keyFile = text("keyFile");
    p.verifyHostname = o.value(QLatin1String("verifyHostname")).toBool(true);
    p.oauthTokenEndpoint = text("oauthTokenEndpoint");
    p.oauthClientId = text("oauthClientId");
    p.oauthScope = text("oauthScope");
    p.kerberosServiceName = text("kerberosServiceName");
    p.kerberosPrincipal = text("kerberosPrincipal");
    p.kerberosKeytab = text("kerberosKeytab");
    const QJsonArray extras = o.value(QLatin1String("extraProperties")).toArray();
    for (const QJsonValue &entry : extras) {
        const QJsonObject pair = entry.toObject();
        const QString key = pair.value(QLatin1String("key")).toString();
        if (!key.isEmpty())
            p.extraProperties.append({key, pair.value(QLatin1String("value")).toString()});
    }
    p.readOnly = o.value(QLatin1String("readOnly")).toBool(false);
    p.colour = text("colour");
    p.isLocal = o.value(QLatin1String("isLocal")).toBool(false);
    return p;
}

QMap<QString, QString> librdkafkaProperties(const Profile &profile, const Secrets &secrets)
{
    QMap<QString, QString> map;
    QString servers = profile.bootstrap;
    servers.remove(QLatin1Char(' '));
    map.insert(QStringLiteral("bootstrap.servers"), servers);
    map.insert(QStringLiteral("security.protocol"), protocolName(profile.securityProtocol));

    if (profile.usesSasl()) {
        map.insert(QStringLiteral("sasl.mechanisms"), mechanismName(profile.saslMechanism));
        switch (profile.saslMechanism) {
        case Mechanism::Plain:
        case Mechanism::ScramSha256:
        case Mechanism::ScramSha512:
            insertIfSet(map, "sasl.username", profile.username);
            insertIfSet(map, "sasl.password", secrets.password);
            break;
        case Mechanism::OAuthBearer:
            map.insert(QStringLiteral("sasl.oauthbearer.method"), QStringLiteral("oidc"));
            insertIfSet(map, "sasl.oauthbearer.client.id", profile.oauthClientId);
            insertIfSet(map, "sasl.oauthbearer.client.secret", secrets.oauthClientSecret);
            insertIfSet(map, "sasl.oauthbearer.token.endpoint.url", profile.oauthTokenEndpoint);
            insertIfSet(map, "sasl.oauthbearer.scope", profile.oauthScope);
            break;
        case Mechanism::Gssapi:
            insertIfSet(map, "sasl.kerberos.service.name", profile.kerberosServiceName);
            insertIfSet(map, "sasl.kerberos.principal", profile.kerberosPrincipal);
            insertIfSet(map, "sasl.kerberos.keytab", profile.kerberosKeytab);
            break;
        }
    }

    if (profile.usesTls()) {
        insertIfSet(map, "ssl.ca.location", profile.caFile);
        insertIfSet(map, "ssl.certificate.location", profile.certFile);
        insertIfSet(map, "ssl.key.location", profile.keyFile);
        insertIfSet(map, "ssl.key.password", secrets.keyPassword);
        map.insert(QStringLiteral("ssl.endpoint.identification.algorithm"),
                   profile.verifyHostname ? QStringLiteral("https") : QStringLiteral("none"));
    }

    for (const auto &[key, value] : profile.extraProperties)
        map.insert(key.trimmed(), value);
    return map;
}

QString validateBootstrap(const QString &bootstrap)
{
    static const QRegularExpression entry(QStringLiteral(
        R"(^(?:[A-Za-z_]+://)?(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9._-]*))?:(\d{1,5})$)"));
    const QString trimmed = bootstrap.trimmed();
    if (trimmed.isEmpty())
        return tr("Enter at least one bootstrap server as HOST:PORT.");
    const QStringList servers = trimmed.split(QLatin1Char(','));
    for (const QString &raw : servers) {
        const QString server = raw.trimmed();
        const QRegularExpressionMatch match = entry.match(server);
        if (server.isEmpty() || !match.hasMatch() || match.captured(1).isEmpty())
            return tr("“%1” is not HOST:PORT.").arg(server);
        const int port = match.captured(2).toInt();
        if (port < 1 || port > 65535)
            return tr("Port %1 is out of range (1–65535).").arg(port);
    }
    return {};
}

QStringList secretPropertyNames()
{
    return {
        QStringLiteral("sasl.password"),
        QStringLiteral("ssl.key.password"),
        QStringLiteral("ssl.keystore.password"),
        QStringLiteral("ssl.truststore.password"),
        QStringLiteral("ssl.key.pem"),
        QStringLiteral("ssl_key"),
        QStringLiteral("sasl.oauthbearer.client.secret"),
        QStringLiteral("sasl.oauthbearer.config"),
        QStringLiteral("sasl.jaas.config"),
        QStringLiteral("basic.auth.user.info"),
    };
}

bool isSecretProperty(const QString &key)
{
    return secretPropertyNames().contains(key.trimmed(), Qt::CaseInsensitive);
}

QString redact(QString text)
{
    // Bare "password"/"secret" catch the password="..." inside a JAAS line that was
    // printed under another name; redacting too much is the safe failure here.
    static const QRegularExpression lineValued(
        QStringLiteral(R"((?<![\w.-])(%1)(\s*[=:]\s*)([^\r\n]+))")
            .arg(keyAlternation(lineValuedSecretKeys())),
        QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression wordValued(
        QStringLiteral(R"((?<![\w.-])(%1|password|secret)(\s*[=:]\s*)("[^"]*"|'[^']*'|[^\s,;"']+))")
            .arg(keyAlternation(secretPropertyNames())),
        QRegularExpression::CaseInsensitiveOption);
    text.replace(lineValued, QStringLiteral("\\1\\2***"));
    text.replace(wordValued, QStringLiteral("\\1\\2***"));
    return text;
}

} // namespace periscope::profiles
