#include "profiles/profilestore.h"
#include "profiles/secretstore.h"

#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace periscope::profiles;

class TestProfileStore : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void addDuplicateRemove();
    void saveLoad();
    void missingFile();
    void corruptFile_data();
    void corruptFile();
    void secretsFileRoundTrip();
    void secretsRemoveAndInvalidId();
    void secretsEncoding();
    void secretsKeychainOrFallback();

private:
    static bool writeFile(const QString &path, const QByteArray &content);
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestProfileStore::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(ProfileStore::defaultFilePath().endsWith(QLatin1String("/profiles.json")));
}

void TestProfileStore::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

bool TestProfileStore::writeFile(const QString &path, const QByteArray &content)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(content) == content.size();
}

static Profile named(const char *name)
{
    Profile p;
    p.name = QString::fromLatin1(name);
    p.bootstrap = QStringLiteral("h:9092");
    return p;
}

void TestProfileStore::addDuplicateRemove()
{
    ProfileStore store(m_dir->filePath(QStringLiteral("profiles.json")));
    QSignalSpy changed(&store, &ProfileStore::changed);
    const QString id = store.add(named("Prod"));
    QVERIFY(!id.isEmpty());
    QCOMPARE(store.findByName(QStringLiteral("prod"))->id, id);
    QCOMPARE(store.add(*store.findById(id)).size(), id.size()); // same id: gets a new one
    QCOMPARE(store.profiles().size(), 2);
    QVERIFY(store.profiles().at(0).id != store.profiles().at(1).id);
    QVERIFY(store.remove(store.profiles().at(1).id));

    const QString copy = store.duplicate(id);
    QVERIFY(!copy.isEmpty() && copy != id);
    QCOMPARE(store.findById(copy)->name, QStringLiteral("Prod (copy)"));
    QCOMPARE(store.findById(copy)->bootstrap, QStringLiteral("h:9092"));
    const QString second = store.duplicate(id);
    QCOMPARE(store.findById(second)->name, QStringLiteral("Prod (copy 2)"));
    QVERIFY(store.duplicate(QStringLiteral("unknown")).isEmpty());

    Profile edited = *store.findById(copy);
    edited.readOnly = true;
    QVERIFY(store.update(edited));
    QVERIFY(store.findById(copy)->readOnly);
    QVERIFY(!store.update(named("nobody")));
    QVERIFY(store.remove(copy));
    QVERIFY(!store.remove(copy));
    QVERIFY(!store.findById(copy));
    QCOMPARE(store.profiles().size(), 2);
    QCOMPARE(changed.size(), 7);
}

void TestProfileStore::saveLoad()
{
    const QString path = m_dir->filePath(QStringLiteral("sub/dir/profiles.json"));
    ProfileStore store(path);
    Profile p = named("Cloud");
    p.securityProtocol = Profile::SecurityProtocol::SaslSsl;
    p.extraProperties = {{QStringLiteral("client.id"), QStringLiteral("x")}};
    store.add(p);
    store.add(named("Local"));
    QVERIFY(store.save().isEmpty());

    ProfileStore loaded(path);
    QSignalSpy changed(&loaded, &ProfileStore::changed);
    QVERIFY(loaded.load().isEmpty());
    QCOMPARE(changed.size(), 1);
    QCOMPARE(loaded.profiles(), store.profiles());
    QVERIFY(!QFile::exists(path + QStringLiteral(".broken")));
}

void TestProfileStore::missingFile()
{
    ProfileStore store(m_dir->filePath(QStringLiteral("none.json")));
    QVERIFY(store.load().isEmpty());
    QVERIFY(store.profiles().isEmpty());
}

void TestProfileStore::corruptFile_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::newRow("truncated") << QByteArray("{\"version\":1,\"profiles\":[{\"name\":\"a\"");
    QTest::newRow("array") << QByteArray("[]");
    QTest::newRow("no list") << QByteArray("{\"profiles\":3}");
    QTest::newRow("binary") << QByteArray("\x00\xff\xfe garbage", 12);
}

void TestProfileStore::corruptFile()
{
    QFETCH(QByteArray, content);
    const QString path = m_dir->filePath(QStringLiteral("profiles.json"));
    const QString broken = path + QStringLiteral(".broken");
    QVERIFY(writeFile(path, content));

    ProfileStore store(path);
    store.add(named("stale"));
    const QString error = store.load();
    QVERIFY(!error.isEmpty());
    QVERIFY2(error.contains(broken), qPrintable(error));
    QVERIFY(store.profiles().isEmpty());
    QVERIFY(!QFile::exists(path));
    QFile kept(broken);
    QVERIFY(kept.open(QIODevice::ReadOnly));
    QCOMPARE(kept.readAll(), content);

    // A second damaged file must not replace the first one.
    QVERIFY(writeFile(path, content));
    QVERIFY(!store.load().isEmpty());
    QCOMPARE(QDir(m_dir->path())
                 .entryList({QStringLiteral("profiles.json.broken*")}, QDir::Files)
                 .size(),
             2);
    QVERIFY(store.save().isEmpty());
    QVERIFY(store.load().isEmpty());
}

void TestProfileStore::secretsFileRoundTrip()
{
    SecretStore secrets(true);
    secrets.setFileDirectory(m_dir->filePath(QStringLiteral("secrets")));
    QCOMPARE(secrets.backend(), SecretStore::Backend::File);
    QVERIFY(secrets.backendDescription().contains(
        QDir::toNativeSeparators(m_dir->filePath(QStringLiteral("secrets")))));

    const QString id = newProfileId();
    const Secrets written{QStringLiteral("pa$$ wörd"), QStringLiteral("key"), QString()};
    bool wrote = false;
    QString writeError = QStringLiteral("not called");
    secrets.write(id, written, [&](const QString &error) {
        wrote = true;
        writeError = error;
    });
    QVERIFY(!wrote); // answers come later, on the event loop
    QTRY_VERIFY(wrote);
    QVERIFY2(writeError.isEmpty(), qPrintable(writeError));

    const QString path = m_dir->filePath(QStringLiteral("secrets/%1.json").arg(id));
    const QFileDevice::Permissions others = QFileDevice::ReadGroup | QFileDevice::WriteGroup |
                                            QFileDevice::ExeGroup | QFileDevice::ReadOther |
                                            QFileDevice::WriteOther | QFileDevice::ExeOther;
    const QFileDevice::Permissions permissions = QFile::permissions(path);
    QVERIFY(permissions & QFileDevice::ReadOwner);
    QVERIFY(permissions & QFileDevice::WriteOwner);
    QCOMPARE(permissions & others, QFileDevice::Permissions());
    QCOMPARE(QFile::permissions(secrets.fileDirectory()) & others, QFileDevice::Permissions());

    std::optional<Secrets> read;
    secrets.read(id, [&](const Secrets &value, const QString &error) {
        QVERIFY(error.isEmpty());
        read = value;
    });
    QTRY_VERIFY(read.has_value());
    QCOMPARE(*read, written);
}

void TestProfileStore::secretsRemoveAndInvalidId()
{
    SecretStore secrets(true);
    secrets.setFileDirectory(m_dir->filePath(QStringLiteral("secrets")));
    const QString id = newProfileId();
    int pending = 2;
    secrets.write(id, {QStringLiteral("x"), {}, {}}, [&](const QString &) { --pending; });
    secrets.remove(id, [&](const QString &error) {
        QVERIFY(error.isEmpty());
        --pending;
    });
    QTRY_COMPARE(pending, 0);

    std::optional<Secrets> read;
    secrets.read(id, [&](const Secrets &value, const QString &error) {
        QVERIFY(error.isEmpty());
        read = value;
    });
    QTRY_VERIFY(read.has_value());
    QVERIFY(read->isEmpty());

    QString error;
    secrets.write(QStringLiteral("../escape"), {QStringLiteral("x"), {}, {}},
                  [&](const QString &e) { error = e; });
    QTRY_VERIFY(!error.isEmpty());
    QVERIFY(!QFile::exists(m_dir->filePath(QStringLiteral("escape.json"))));
}

void TestProfileStore::secretsEncoding()
{
    const Secrets all{QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c")};
    QCOMPARE(SecretStore::decode(SecretStore::encode(all)), all);
    QCOMPARE(SecretStore::decode(SecretStore::encode({})), Secrets{});
    QCOMPARE(SecretStore::decode("not json"), Secrets{});
}

void TestProfileStore::secretsKeychainOrFallback()
{
    // Touches the real keychain of whoever runs it, so it only runs when asked to.
    if (!qEnvironmentVariableIsSet("PERISCOPE_TEST_KEYCHAIN"))
        QSKIP("set PERISCOPE_TEST_KEYCHAIN=1 to use the system keychain");
    SecretStore secrets;
    secrets.setFileDirectory(m_dir->filePath(QStringLiteral("secrets")));
    QSignalSpy backendChanged(&secrets, &SecretStore::backendChanged);
    const QString id = newProfileId();
    const Secrets written{QStringLiteral("pw"), {}, QStringLiteral("cs")};
    std::optional<QString> writeError;
    secrets.write(id, written, [&](const QString &error) { writeError = error; });
    QTRY_VERIFY_WITH_TIMEOUT(writeError.has_value(), 30000);
    QVERIFY2(writeError->isEmpty(), qPrintable(*writeError));
    qInfo() << "backend:" << secrets.backendDescription();
    QCOMPARE(backendChanged.size(), secrets.backend() == SecretStore::Backend::File ? 1 : 0);

    std::optional<Secrets> read;
    secrets.read(id, [&](const Secrets &value, const QString &) { read = value; });
    QTRY_VERIFY_WITH_TIMEOUT(read.has_value(), 30000);
    QCOMPARE(*read, written);
    bool removed = false;
    secrets.remove(id, [&](const QString &) { removed = true; });
    QTRY_VERIFY_WITH_TIMEOUT(removed, 30000);
}

QTEST_GUILESS_MAIN(TestProfileStore)
#include "tst_core_profilestore.moc"
