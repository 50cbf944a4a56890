#include "secretstore.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSaveFile>
#include <QStandardPaths>
#include <qt6keychain/keychain.h>

namespace periscope::profiles {

namespace {

const QString kService = QStringLiteral("periscope");
constexpr auto kOwnerOnly = QFileDevice::ReadOwner | QFileDevice::WriteOwner;

} // namespace

SecretStore::SecretStore(bool forceFileBackend, QObject *parent)
    : QObject(parent)
    , m_backend(forceFileBackend ? Backend::File : Backend::Keychain)
    , m_directory(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) +
                  QStringLiteral("/secrets"))
{}

QString SecretStore::backendDescription() const
{
    if (m_backend == Backend::Keychain)
        return tr("system keychain");
    return tr("file readable only by you: %1").arg(QDir::toNativeSeparators(m_directory));
}

QByteArray SecretStore::encode(const Secrets &secrets)
{
    QJsonObject o;
    if (!secrets.password.isEmpty())
        o.insert(QStringLiteral("password"), secrets.password);
    if (!secrets.keyPassword.isEmpty())
        o.insert(QStringLiteral("keyPassword"), secrets.keyPassword);
    if (!secrets.oauthClientSecret.isEmpty())
        o.insert(QStringLiteral("oauthClientSecret"), secrets.oauthClientSecret);
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

Secrets SecretStore::decode(const QByteArray &blob)
{
    const QJsonObject o = QJsonDocument::fromJson(blob).object();
    return {o.value(QLatin1String("password")).toString(),
            o.value(QLatin1String("keyPassword")).toString(),
            o.value(QLatin1String("oauthClientSecret")).toString()};
}

void SecretStore::deliver(std::function<void()> call)
{
    // Queued even when the answer is known now, so callers see one behaviour.
    QMetaObject::invokeMethod(this, std::move(call), Qt::QueuedConnection);
}

bool SecretStore::keychainUnavailable(const QKeychain::Job *job)
{
    const QKeychain::Error error = job->error();
    if (error != QKeychain::NoBackendAvailable && error != QKeychain::NotImplemented &&
        error != QKeychain::OtherError)
        return false;
    if (m_backend == Backend::Keychain) {
        m_backend = Backend::File;
        Q_EMIT backendChanged(m_backend);
    }
    return true;
}

void SecretStore::read(const QString &profileId, ReadCallback callback)
{
    if (!callback)
        return;
    if (m_backend == Backend::File) {
        readFile(profileId, std::move(callback));
        return;
    }
    auto *job = new QKeychain::ReadPasswordJob(kService, this);
    job->setKey(profileId);
    connect(job, &QKeychain::Job::finished, this, [=, this](QKeychain::Job *done) {
        if (done->error() == QKeychain::NoError)
            callback(decode(static_cast<QKeychain::ReadPasswordJob *>(done)->binaryData()), {});
        else if (done->error() == QKeychain::EntryNotFound || keychainUnavailable(done))
            readFile(profileId, callback); // secrets saved before a keychain appeared
        else
            callback(
                {},
                tr("The system keychain refused to read the secrets: %1").arg(done->errorString()));
    });
    job->start();
}

void SecretStore::write(const QString &profileId, const Secrets &secrets, DoneCallback callback)
{
    if (m_backend == Backend::File) {
        writeFile(profileId, secrets, std::move(callback));
        return;
    }
    auto *job = new QKeychain::WritePasswordJob(kService, this);
    job->setKey(profileId);
    job->setBinaryData(encode(secrets));
    connect(job, &QKeychain::Job::finished, this, [=, this](QKeychain::Job *done) {
        if (done->error() == QKeychain::NoError) {
            QFile::remove(filePath(profileId)); // the keychain copy supersedes a file one
            if (callback)
                callback({});
        } else if (keychainUnavailable(done)) {
            writeFile(profileId, secrets, callback);
        } else if (callback) {
            callback(tr("The system keychain refused to store the secrets: %1")
                         .arg(done->errorString()));
        }
    });
    job->start();
}

void SecretStore::remove(const QString &profileId, DoneCallback callback)
{
    if (m_backend == Backend::File) {
        removeFile(profileId, std::move(callback));
        return;
    }
    auto *job = new QKeychain::DeletePasswordJob(kService, this);
    job->setKey(profileId);
    connect(job, &QKeychain::Job::finished, this, [=, this](QKeychain::Job *done) {
        const QKeychain::Error error = done->error();
        if (error == QKeychain::NoError || error == QKeychain::EntryNotFound ||
            keychainUnavailable(done))
            removeFile(profileId, callback);
        else if (callback)
            callback(tr("The system keychain refused to delete the secrets: %1")
                         .arg(done->errorString()));
    });
    job->start();
}

QString SecretStore::filePath(const QString &profileId) const
{
    // Ids come from profiles.json, which a user may edit: keep them out of other folders.
    static const QRegularExpression safe(QStringLiteral("^[A-Za-z0-9_-]+$"));
    if (!safe.match(profileId).hasMatch())
        return {};
    return m_directory + QLatin1Char('/') + profileId + QStringLiteral(".json");
}

void SecretStore::readFile(const QString &profileId, ReadCallback callback)
{
    const QString path = filePath(profileId);
    QFile file(path);
    Secrets secrets;
    QString error;
    if (path.isEmpty())
        error = tr("Invalid profile id “%1”.").arg(profileId);
    else if (file.exists() && !file.open(QIODevice::ReadOnly))
        error = tr("Cannot read %1: %2").arg(path, file.errorString());
    else if (file.isOpen())
        secrets = decode(file.readAll());
    deliver([callback = std::move(callback), secrets, error] { callback(secrets, error); });
}

void SecretStore::writeFile(const QString &profileId, const Secrets &secrets, DoneCallback callback)
{
    const QString path = filePath(profileId);
    QString error;
    if (path.isEmpty()) {
        error = tr("Invalid profile id “%1”.").arg(profileId);
    } else if (!QDir().mkpath(m_directory)) {
        error = tr("Cannot create %1").arg(m_directory);
    } else {
        QFile::setPermissions(m_directory, kOwnerOnly | QFileDevice::ExeOwner);
        QSaveFile file(path);
        // Restrict the temporary file before the secret is written into it.
        if (!file.open(QIODevice::WriteOnly) || !file.setPermissions(kOwnerOnly) ||
            file.write(encode(secrets)) < 0 || !file.commit())
            error = tr("Cannot write %1: %2").arg(path, file.errorString());
    }
    if (callback)
        deliver([callback = std::move(callback), error] { callback(error); });
}

void SecretStore::removeFile(const QString &profileId, DoneCallback callback)
{
    const QString path = filePath(profileId);
    QString error;
    if (path.isEmpty())
        error = tr("Invalid profile id “%1”.").arg(profileId);
    else if (QFile::exists(path) && !QFile::remove(path))
        error = tr("Cannot delete %1").arg(path);
    if (callback)
        deliver([callback = std::move(callback), error] { callback(error); });
}

} // namespace periscope::profiles
