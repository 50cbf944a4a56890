#include "presets.h"

#include <QCoreApplication>
#include <QUrl>

namespace periscope::profiles {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("periscope::profiles::presets", text);
}

using Protocol = Profile::SecurityProtocol;
using Mechanism = Profile::SaslMechanism;

std::function<void(Profile &)> setSecurity(Protocol protocol, Mechanism mechanism)
{
    return [protocol, mechanism](Profile &p) {
        p.securityProtocol = protocol;
        p.saslMechanism = mechanism;
        p.verifyHostname = true;
    };
}

// Connection strings are "Key=Value;Key=Value"; a SharedAccessKey may itself end in '='.
QMap<QString, QString> connectionStringFields(const QString &text)
{
    QMap<QString, QString> fields;
    const QStringList parts = text.trimmed().split(QLatin1Char(';'), Qt::SkipEmptyParts);
    for (const QString &part : parts) {
        const qsizetype eq = part.indexOf(QLatin1Char('='));
        if (eq > 0)
            fields.insert(part.left(eq).trimmed().toLower(), part.mid(eq + 1).trimmed());
    }
    return fields;
}

} // namespace

QList<Preset> presets()
{
    return {
        {QStringLiteral("local"), tr("Local broker"),
         tr("A broker on this machine without TLS or authentication."),
         QStringLiteral("127.0.0.1:9092"),
         [](Profile &p) {
             setSecurity(Protocol::Plaintext, Mechanism::Plain)(p);
             p.bootstrap = QStringLiteral("127.0.0.1:9092");
         }},
        {QStringLiteral("confluent-cloud"), tr("Confluent Cloud"),
         tr("Use the cluster's bootstrap server; the API key is the username and the API "
            "secret the password."),
         QStringLiteral("pkc-xxxxx.region.provider.confluent.cloud:9092"),
         setSecurity(Protocol::SaslSsl, Mechanism::Plain)},
        {QStringLiteral("msk-tls"), tr("Amazon MSK (TLS)"),
         tr("Use the TLS bootstrap brokers (port 9094); add a client certificate and key "
            "for mutual TLS."),
         QStringLiteral("b-1.cluster.xxxxxx.kafka.region.amazonaws.com:9094"),
         setSecurity(Protocol::Ssl, Mechanism::Plain)},
        {QStringLiteral("msk-scram"), tr("Amazon MSK (SASL/SCRAM)"),
         tr("Use the SASL/SCRAM bootstrap brokers (port 9096) and the user from the Secrets "
            "Manager secret."),
         QStringLiteral("b-1.cluster.xxxxxx.kafka.region.amazonaws.com:9096"),
         setSecurity(Protocol::SaslSsl, Mechanism::ScramSha512)},
        {QStringLiteral("event-hubs"), tr("Azure Event Hubs"),
         tr("Paste the namespace connection string as the password; the username stays "
            "$ConnectionString."),
         QStringLiteral("NAMESPACE.servicebus.windows.net:9093"),
         [](Profile &p) {
             setSecurity(Protocol::SaslSsl, Mechanism::Plain)(p);
             p.username = QStringLiteral("$ConnectionString");
         }},
        {QStringLiteral("aiven-tls"), tr("Aiven (client certificate)"),
         tr("Download ca.pem, service.cert and service.key from the service page."),
         QStringLiteral("kafka-xxxx.aivencloud.com:12345"),
         setSecurity(Protocol::Ssl, Mechanism::Plain)},
        {QStringLiteral("aiven-scram"), tr("Aiven (SASL/SCRAM)"),
         tr("Enable SASL on the service, use its SASL port, ca.pem and the avnadmin user."),
         QStringLiteral("kafka-xxxx.aivencloud.com:12346"),
         setSecurity(Protocol::SaslSsl, Mechanism::ScramSha256)},
        {QStringLiteral("redpanda"), tr("Redpanda"),
         tr("Use the Kafka API bootstrap server and a SCRAM user created in the console."),
         QStringLiteral("seed-xxxx.redpanda.com:9092"),
         setSecurity(Protocol::SaslSsl, Mechanism::ScramSha256)},
        {QStringLiteral("strimzi"), tr("Strimzi"),
         tr("Use the TLS listener (port 9093) and the cluster CA certificate (ca.crt) from "
            "the CLUSTER-cluster-ca-cert secret."),
         QStringLiteral("my-cluster-kafka-bootstrap:9093"),
         setSecurity(Protocol::Ssl, Mechanism::Plain)},
    };
}

std::optional<Preset> findPreset(const QString &id)
{
    for (const Preset &preset : presets())
        if (preset.id == id)
            return preset;
    return std::nullopt;
}

std::optional<QString> eventHubsBootstrap(const QString &connectionString)
{
    const QUrl endpoint(connectionStringFields(connectionString).value(QStringLiteral("endpoint")));
    if (!endpoint.isValid() || endpoint.scheme() != QLatin1String("sb") ||
        endpoint.host().isEmpty())
        return std::nullopt;
    return endpoint.host() + QStringLiteral(":9093");
}

QString applyEventHubsConnectionString(Profile &profile, Secrets &secrets,
                                       const QString &connectionString)
{
    const std::optional<QString> bootstrap = eventHubsBootstrap(connectionString);
    if (!bootstrap)
        return tr("The connection string has no “Endpoint=sb://NAMESPACE.servicebus."
                  "windows.net/” part.");
    const QMap<QString, QString> fields = connectionStringFields(connectionString);
    if (fields.value(QStringLiteral("sharedaccesskeyname")).isEmpty() ||
        fields.value(QStringLiteral("sharedaccesskey")).isEmpty())
        return tr("The connection string has no SharedAccessKeyName or SharedAccessKey.");
    profile.bootstrap = *bootstrap;
    profile.securityProtocol = Protocol::SaslSsl;
    profile.saslMechanism = Mechanism::Plain;
    profile.username = QStringLiteral("$ConnectionString");
    secrets.password = connectionString.trimmed();
    return {};
}

} // namespace periscope::profiles
