#include "importer.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>

namespace periscope::profiles {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("periscope::profiles::importer", text);
}

struct Line
{
    int number = 0; // 1-based, of the first physical line
    QString text;
};

// Java properties continue a line that ends in an odd number of backslashes; JAAS
// configs are often written that way.
QList<Line> logicalLines(const QString &text)
{
    QList<Line> lines;
    const QStringList physical = text.split(QLatin1Char('\n'));
    bool continuing = false;
    for (int i = 0; i < physical.size(); ++i) {
        QString line = physical.at(i);
        if (line.endsWith(QLatin1Char('\r')))
            line.chop(1);
        qsizetype slashes = 0;
        while (slashes < line.size() && line.at(line.size() - 1 - slashes) == QLatin1Char('\\'))
            ++slashes;
        const bool continues = slashes % 2 == 1;
        if (continues)
            line.chop(1);
        // Like java.util.Properties: leading blanks of every physical line go, trailing
        // ones before a backslash stay (they separate JAAS options).
        qsizetype lead = 0;
        while (lead < line.size() && line.at(lead).isSpace())
            ++lead;
        if (continuing)
            lines.last().text += line.mid(lead);
        else
            lines.append({i + 1, line.mid(lead)});
        continuing = continues;
    }
    for (Line &line : lines)
        line.text = line.text.trimmed();
    return lines;
}

struct JaasConfig
{
    QString module;
    QMap<QString, QString> options;
};

JaasConfig parseJaas(const QString &value)
{
    static const QRegularExpression moduleRe(
        QStringLiteral(R"(^\s*([\w.$]+)\s+(?:required|requisite|sufficient|optional)\b)"));
    static const QRegularExpression optionRe(
        QStringLiteral(R"re((\w+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s;"]+)))re"));
    JaasConfig jaas;
    jaas.module = moduleRe.match(value).captured(1);
    auto it = optionRe.globalMatch(value);
    while (it.hasNext()) {
        const QRegularExpressionMatch m = it.next();
        const QString quoted = m.captured(2);
        jaas.options.insert(m.captured(1), m.capturedStart(2) >= 0 ? quoted : m.captured(3));
    }
    return jaas;
}

bool isJavaOnly(const QString &key)
{
    return key.endsWith(QLatin1String(".class")) || key.contains(QLatin1String("serializer")) ||
           key.startsWith(QLatin1String("ssl.keystore.")) ||
           key.startsWith(QLatin1String("ssl.truststore.")) ||
           key == QLatin1String("client.dns.lookup");
}

class Importer
{
public:
    void apply(const QString &key, const QString &value, int line);
    void finish();
    ImportResult result;

private:
    void applyJaas(const QString &value);
    bool m_mechanismSet = false;
    QString m_truststore;
    QString m_truststoreType;
};

void Importer::applyJaas(const QString &value)
{
    const JaasConfig jaas = parseJaas(value);
    Profile &p = result.profile;
    const QString module = jaas.module.section(QLatin1Char('.'), -1);
    if (module == QLatin1String("PlainLoginModule") ||
        module == QLatin1String("ScramLoginModule")) {
        p.username = jaas.options.value(QStringLiteral("username"));
        result.secrets.password = jaas.options.value(QStringLiteral("password"));
    } else if (module == QLatin1String("OAuthBearerLoginModule")) {
        p.oauthClientId = jaas.options.value(QStringLiteral("clientId"));
        p.oauthScope = jaas.options.value(QStringLiteral("scope"));
        result.secrets.oauthClientSecret = jaas.options.value(QStringLiteral("clientSecret"));
    } else if (module == QLatin1String("Krb5LoginModule")) {
        p.kerberosPrincipal = jaas.options.value(QStringLiteral("principal"));
        p.kerberosKeytab = jaas.options.value(QStringLiteral("keyTab"));
        if (jaas.options.contains(QStringLiteral("serviceName")))
            p.kerberosServiceName = jaas.options.value(QStringLiteral("serviceName"));
    } else {
        result.warnings << tr("The JAAS login module “%1” is not supported; enter the "
                              "credentials by hand.")
                               .arg(jaas.module);
    }
}

void Importer::apply(const QString &key, const QString &value, int line)
{
    Profile &p = result.profile;
    Secrets &s = result.secrets;
    const auto is = [&key](const char *name) { return key == QLatin1String(name); };

    if (is("bootstrap.servers") || is("metadata.broker.list")) {
        p.bootstrap = value;
    } else if (is("security.protocol")) {
        if (const auto protocol = protocolFromName(value))
            p.securityProtocol = *protocol;
        else
            result.warnings << tr("Line %1: unknown security.protocol “%2”.").arg(line).arg(value);
    } else if (is("sasl.mechanism") || is("sasl.mechanisms")) {
        if (const auto mechanism = mechanismFromName(value)) {
            p.saslMechanism = *mechanism;
            m_mechanismSet = true;
        } else {
            result.warnings << tr("Line %1: unsupported SASL mechanism “%2”.").arg(line).arg(value);
        }
    } else if (is("sasl.jaas.config")) {
        applyJaas(value);
    } else if (is("sasl.username")) {
        p.username = value;
    } else if (is("sasl.password")) {
        s.password = value;
    } else if (is("ssl.ca.location")) {
        p.caFile = value;
    } else if (is("ssl.certificate.location")) {
        p.certFile = value;
    } else if (is("ssl.key.location")) {
        p.keyFile = value;
    } else if (is("ssl.key.password")) {
        s.keyPassword = value;
    } else if (is("ssl.endpoint.identification.algorithm")) {
        p.verifyHostname =
            !value.isEmpty() && value.compare(QLatin1String("none"), Qt::CaseInsensitive) != 0;
    } else if (is("sasl.oauthbearer.client.id")) {
        p.oauthClientId = value;
    } else if (is("sasl.oauthbearer.client.secret")) {
        s.oauthClientSecret = value;
    } else if (is("sasl.oauthbearer.token.endpoint.url")) {
        p.oauthTokenEndpoint = value;
    } else if (is("sasl.oauthbearer.scope")) {
        p.oauthScope = value;
    } else if (is("sasl.oauthbearer.method") &&
               value.compare(QLatin1String("oidc"), Qt::CaseInsensitive) == 0) {
        // implied by the OAUTHBEARER mechanism
    } else if (is("sasl.kerberos.service.name")) {
        p.kerberosServiceName = value;
    } else if (is("sasl.kerberos.principal")) {
        p.kerberosPrincipal = value;
    } else if (is("sasl.kerberos.keytab")) {
        p.kerberosKeytab = value;
    } else if (is("ssl.truststore.location")) {
        m_truststore = value;
    } else if (is("ssl.truststore.type")) {
        m_truststoreType = value;
    } else if (is("ssl.truststore.password")) {
        // PEM CA files have no password; the trust store warning covers the rest
    } else if (isJavaOnly(key)) {
        result.warnings << tr("Line %1: “%2” applies only to Java clients and was left out.")
                               .arg(line)
                               .arg(key);
    } else if (isSecretProperty(key)) {
        result.warnings << tr("Line %1: “%2” holds a secret and was left out; profiles "
                              "store no secrets.")
                               .arg(line)
                               .arg(key);
    } else {
        p.extraProperties.append({key, value});
    }
}

void Importer::finish()
{
    Profile &p = result.profile;
    if (p.usesSasl() && !m_mechanismSet)
        p.saslMechanism = Profile::SaslMechanism::Gssapi; // what both clients default to
    if (!m_truststore.isEmpty()) {
        const QString suffix = QFileInfo(m_truststore).suffix().toLower();
        const bool pem = m_truststoreType.compare(QLatin1String("PEM"), Qt::CaseInsensitive) == 0 ||
                         suffix == QLatin1String("pem") || suffix == QLatin1String("crt") ||
                         suffix == QLatin1String("cer");
        if (pem && p.caFile.isEmpty())
            p.caFile = m_truststore;
        else if (!pem)
            result.warnings << tr("The trust store %1 is JKS/PKCS12, which librdkafka cannot "
                                  "read; export the CA certificate as PEM and choose it as the "
                                  "CA file.")
                                   .arg(m_truststore);
    }
    if (p.bootstrap.isEmpty())
        result.warnings << tr("No bootstrap.servers found; enter the bootstrap servers.");
}

} // namespace

ImportResult importClientConfig(const QString &text)
{
    Importer importer;
    importer.result.profile.id = newProfileId();
    for (const Line &line : logicalLines(text)) {
        if (line.text.isEmpty() || line.text.startsWith(QLatin1Char('#')) ||
            line.text.startsWith(QLatin1Char('!')))
            continue;
        const qsizetype eq = line.text.indexOf(QLatin1Char('='));
        const QString key = line.text.left(eq).trimmed();
        if (eq < 0 || key.isEmpty()) {
            // The line is not quoted back: it may be a pasted password.
            ImportResult failed;
            failed.error = tr("Line %1 is not of the form key=value.").arg(line.number);
            return failed;
        }
        importer.apply(key, line.text.mid(eq + 1).trimmed(), line.number);
    }
    importer.finish();
    return importer.result;
}

ImportResult importClientConfigFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text)) {
        ImportResult failed;
        failed.error = tr("Cannot read %1: %2").arg(path, file.errorString());
        return failed;
    }
    ImportResult result = importClientConfig(QString::fromUtf8(file.readAll()));
    if (result.ok())
        result.profile.name = QFileInfo(path).completeBaseName();
    return result;
}

} // namespace periscope::profiles
