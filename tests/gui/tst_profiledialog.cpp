#include "profiles/profiledialog.h"
#include "profiles/profilefields.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>

using periscope::profiles::Profile;
using periscope::profiles::Secrets;
using periscope::widgets::ProfileDialog;
using Protocol = Profile::SecurityProtocol;
using Mechanism = Profile::SaslMechanism;

class TestProfileDialog : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void init();
    void cleanup() { m_dialog.reset(); }
    void startsInvalid();
    void typedValuesComeBack();
    void okEnabledOnlyWhenValid_data();
    void okEnabledOnlyWhenValid();
    void fieldsFollowMechanism();
    void presetFillsFields();
    void eventHubsConnectionString();
    void testConnection();
    void importFile();
    void setProfileRoundTrip();
    void secretExtraPropertyRejected();

private:
    template <typename T>
    T *find(const char *name) const
    {
        auto *widget = m_dialog->findChild<T *>(QString::fromLatin1(name));
        if (!widget)
            qFatal("no widget named %s", name);
        return widget;
    }
    bool shown(const char *name) const { return find<QWidget>(name)->isVisibleTo(m_dialog.get()); }
    bool okEnabled() const
    {
        return m_dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok)->isEnabled();
    }
    void choose(const char *comboName, const QString &text) const
    {
        auto *combo = find<QComboBox>(comboName);
        const int index = combo->findText(text);
        QVERIFY2(index >= 0, qPrintable(text));
        combo->setCurrentIndex(index);
    }

    std::unique_ptr<ProfileDialog> m_dialog;
};

void TestProfileDialog::init()
{
    m_dialog = std::make_unique<ProfileDialog>();
    m_dialog->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_dialog.get()));
}

void TestProfileDialog::startsInvalid()
{
    QVERIFY(!okEnabled());
    QVERIFY(!find<QPushButton>("testButton")->isEnabled());
    QVERIFY(shown("validationLabel"));
    QVERIFY(!find<QLabel>("validationLabel")->text().isEmpty());
    QVERIFY(!shown("passwordEdit"));
    QVERIFY(!shown("caFileEdit"));
    QVERIFY(!m_dialog->profile().id.isEmpty());
}

void TestProfileDialog::typedValuesComeBack()
{
    QTest::keyClicks(find<QLineEdit>("nameEdit"), QStringLiteral("Production"));
    QTest::keyClicks(find<QLineEdit>("bootstrapEdit"), QStringLiteral("b-1:9096,b-2:9096"));
    choose("protocolCombo", QStringLiteral("SASL_SSL"));
    choose("mechanismCombo", QStringLiteral("SCRAM-SHA-512"));
    QVERIFY(shown("passwordEdit"));
    QVERIFY(shown("usernameEdit"));
    QVERIFY(shown("caFileEdit"));
    QVERIFY(!shown("oauthClientIdEdit"));
    QTest::keyClicks(find<QLineEdit>("usernameEdit"), QStringLiteral("alice"));
    auto *password = find<QLineEdit>("passwordEdit");
    QTest::keyClicks(password, QStringLiteral("s3cret!"));
    QCOMPARE(password->echoMode(), QLineEdit::Password);
    QTest::mouseClick(find<QToolButton>("passwordEditShow"), Qt::LeftButton);
    QCOMPARE(password->echoMode(), QLineEdit::Normal);
    QTest::keyClicks(find<QLineEdit>("caFileEdit"), QStringLiteral("/etc/ca.pem"));
    QTest::mouseClick(find<QCheckBox>("readOnlyCheck"), Qt::LeftButton);
    QVERIFY(okEnabled());
    QVERIFY(!shown("validationLabel"));

    const Profile p = m_dialog->profile();
    QCOMPARE(p.name, QStringLiteral("Production"));
    QCOMPARE(p.bootstrap, QStringLiteral("b-1:9096,b-2:9096"));
    QCOMPARE(p.securityProtocol, Protocol::SaslSsl);
    QCOMPARE(p.saslMechanism, Mechanism::ScramSha512);
    QCOMPARE(p.username, QStringLiteral("alice"));
    QCOMPARE(p.caFile, QStringLiteral("/etc/ca.pem"));
    QVERIFY(p.readOnly);
    QVERIFY(p.verifyHostname);
    QCOMPARE(m_dialog->secrets(), (Secrets{QStringLiteral("s3cret!"), {}, {}}));

    // A secret the chosen protocol does not use is not handed back for storage.
    choose("protocolCombo", QStringLiteral("SSL"));
    QVERIFY(!shown("passwordEdit"));
    QVERIFY(m_dialog->secrets().isEmpty());
}

void TestProfileDialog::okEnabledOnlyWhenValid_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("bootstrap");
    QTest::addColumn<bool>("valid");
    QTest::newRow("both") << QStringLiteral("a") << QStringLiteral("h:9092") << true;
    QTest::newRow("list") << QStringLiteral("a") << QStringLiteral("h:1, [::1]:2") << true;
    QTest::newRow("no name") << QString() << QStringLiteral("h:9092") << false;
    QTest::newRow("blank name") << QStringLiteral("   ") << QStringLiteral("h:9092") << false;
    QTest::newRow("no bootstrap") << QStringLiteral("a") << QString() << false;
    QTest::newRow("no port") << QStringLiteral("a") << QStringLiteral("h") << false;
    QTest::newRow("bad port") << QStringLiteral("a") << QStringLiteral("h:99999") << false;
    QTest::newRow("taken name") << QStringLiteral("Taken") << QStringLiteral("h:9092") << false;
}

void TestProfileDialog::okEnabledOnlyWhenValid()
{
    QFETCH(QString, name);
    QFETCH(QString, bootstrap);
    QFETCH(bool, valid);
    m_dialog->setTakenNames({QStringLiteral("taken")});
    QTest::keyClicks(find<QLineEdit>("nameEdit"), name);
    QTest::keyClicks(find<QLineEdit>("bootstrapEdit"), bootstrap);
    QCOMPARE(okEnabled(), valid);
    QCOMPARE(m_dialog->isValid(), valid);
    QCOMPARE(find<QPushButton>("testButton")->isEnabled(), valid);
    QCOMPARE(shown("validationLabel"), !valid);
}

void TestProfileDialog::fieldsFollowMechanism()
{
    choose("protocolCombo", QStringLiteral("SASL_PLAINTEXT"));
    QVERIFY(!shown("caFileEdit"));
    choose("mechanismCombo", QStringLiteral("OAUTHBEARER (OIDC)"));
    QVERIFY(!shown("passwordEdit"));
    QVERIFY(shown("oauthClientIdEdit") && shown("oauthSecretEdit") && shown("oauthEndpointEdit"));
    QVERIFY(!shown("kerberosPrincipalEdit"));
    QTest::keyClicks(find<QLineEdit>("oauthSecretEdit"), QStringLiteral("cs"));
    QCOMPARE(m_dialog->secrets().oauthClientSecret, QStringLiteral("cs"));
    choose("mechanismCombo", QStringLiteral("GSSAPI (Kerberos)"));
    QVERIFY(shown("kerberosPrincipalEdit") && shown("kerberosKeytabEdit"));
    QVERIFY(!shown("oauthClientIdEdit"));
    QVERIFY(m_dialog->secrets().isEmpty());
}

void TestProfileDialog::presetFillsFields()
{
    auto *presets = find<QComboBox>("presetCombo");
    presets->setFocus();
    QSignalSpy activated(presets, &QComboBox::activated);
    const int msk = presets->findData(QStringLiteral("msk-scram"));
    QVERIFY(msk > 0);
    while (presets->currentIndex() < msk)
        QTest::keyClick(presets, Qt::Key_Down);
    QCOMPARE(activated.size(), msk);
    QCOMPARE(find<QComboBox>("protocolCombo")->currentText(), QStringLiteral("SASL_SSL"));
    QCOMPARE(find<QComboBox>("mechanismCombo")->currentText(), QStringLiteral("SCRAM-SHA-512"));
    QVERIFY(shown("passwordEdit"));
    QVERIFY(!find<QLabel>("presetHint")->text().isEmpty());
    QVERIFY(find<QLineEdit>("bootstrapEdit")->placeholderText().contains(QLatin1String("9096")));

    m_dialog->applyPreset(QStringLiteral("local"));
    QCOMPARE(find<QLineEdit>("bootstrapEdit")->text(), QStringLiteral("127.0.0.1:9092"));
    QCOMPARE(find<QComboBox>("protocolCombo")->currentText(), QStringLiteral("PLAINTEXT"));
    QVERIFY(!shown("passwordEdit"));
    QTest::keyClicks(find<QLineEdit>("nameEdit"), QStringLiteral("Local"));
    QVERIFY(okEnabled());
}

void TestProfileDialog::eventHubsConnectionString()
{
    m_dialog->applyPreset(QStringLiteral("event-hubs"));
    QCOMPARE(find<QLineEdit>("usernameEdit")->text(), QStringLiteral("$ConnectionString"));
    const QString connection = QStringLiteral(
        "Endpoint=sb://myns.servicebus.windows.net/;SharedAccessKeyName=root;SharedAccessKey=k=");
    QTest::keyClicks(find<QLineEdit>("passwordEdit"), connection);
    QCOMPARE(find<QLineEdit>("bootstrapEdit")->text(),
             QStringLiteral("myns.servicebus.windows.net:9093"));
    QCOMPARE(m_dialog->secrets().password, connection);
}

void TestProfileDialog::testConnection()
{
    QSignalSpy requested(m_dialog.get(), &ProfileDialog::testConnectionRequested);
    QTest::keyClicks(find<QLineEdit>("nameEdit"), QStringLiteral("t"));
    QTest::keyClicks(find<QLineEdit>("bootstrapEdit"), QStringLiteral("h:9092"));
    auto *button = find<QPushButton>("testButton");
    QTest::mouseClick(button, Qt::LeftButton);
    QCOMPARE(requested.size(), 1);
    QCOMPARE(requested.first().at(0).value<Profile>().bootstrap, QStringLiteral("h:9092"));
    QVERIFY(!button->isEnabled()); // one test at a time
    m_dialog->showTestResult(false, QStringLiteral("connection refused"));
    QVERIFY(find<QLabel>("testLabel")->text().contains(QLatin1String("connection refused")));
    QVERIFY(button->isEnabled());
    m_dialog->showTestResult(true, QStringLiteral("3 brokers"));
    QVERIFY(find<QLabel>("testLabel")->text().contains(QLatin1String("3 brokers")));
}

void TestProfileDialog::importFile()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("client.properties"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("bootstrap.servers=k:9093\nsecurity.protocol=SASL_SSL\nsasl.mechanism=PLAIN\n"
               "sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule "
               "required username=\"key\" password=\"secret\";\n"
               "ssl.truststore.location=/x/trust.jks\nclient.id=me\n");
    file.close();
    QVERIFY(m_dialog->importFile(path));
    const Profile p = m_dialog->profile();
    QCOMPARE(p.name, QStringLiteral("client"));
    QCOMPARE(p.bootstrap, QStringLiteral("k:9093"));
    QCOMPARE(p.securityProtocol, Protocol::SaslSsl);
    QCOMPARE(p.username, QStringLiteral("key"));
    QCOMPARE(m_dialog->secrets().password, QStringLiteral("secret"));
    QCOMPARE(find<QTableWidget>("extraPropertiesTable")->rowCount(), 1);
    QVERIFY(find<QLabel>("importLabel")->text().contains(QLatin1String("JKS")));
    QVERIFY(okEnabled());

    QVERIFY(!m_dialog->importFile(dir.filePath(QStringLiteral("missing"))));
    QVERIFY(!find<QLabel>("importLabel")->text().isEmpty());
}

void TestProfileDialog::setProfileRoundTrip()
{
    Profile p;
    p.id = QStringLiteral("fixed-id");
    p.name = QStringLiteral("Edit me");
    p.bootstrap = QStringLiteral("a:1");
    p.securityProtocol = Protocol::SaslSsl;
    p.saslMechanism = Mechanism::OAuthBearer;
    p.oauthClientId = QStringLiteral("cid");
    p.oauthTokenEndpoint = QStringLiteral("https://idp/token");
    p.keyFile = QStringLiteral("/k.pem");
    p.verifyHostname = false;
    p.extraProperties = {{QStringLiteral("client.id"), QStringLiteral("x")}};
    p.colour = QStringLiteral("#336699");
    p.isLocal = true;
    const Secrets s{{}, QStringLiteral("kp"), QStringLiteral("cs")};
    m_dialog->setProfile(p, s);
    QCOMPARE(m_dialog->profile(), p);
    QCOMPARE(m_dialog->secrets(), s);
    QCOMPARE(find<QPushButton>("colourButton")->text(), QStringLiteral("#336699"));

    m_dialog->setSecretBackendDescription(QStringLiteral("system keychain"));
    QVERIFY(find<QLabel>("secretsLabel")->text().contains(QLatin1String("system keychain")));
}

void TestProfileDialog::secretExtraPropertyRejected()
{
    Profile p;
    p.name = QStringLiteral("x");
    p.bootstrap = QStringLiteral("a:1");
    m_dialog->setProfile(p, {});
    QVERIFY(okEnabled());
    p.extraProperties = {{QStringLiteral("sasl.password"), QStringLiteral("oops")}};
    m_dialog->setProfile(p, {});
    QVERIFY(!okEnabled());
    QVERIFY(m_dialog->validationMessage().contains(QLatin1String("sasl.password")));
}

QTEST_MAIN(TestProfileDialog)
#include "tst_profiledialog.moc"
