#pragma once

#include "profile.h"

#include <QObject>
#include <QString>
#include <functional>

namespace QKeychain {
class Job;
}

namespace periscope::profiles {

// Keeps each profile's Secrets in the system keychain, or, where there is none (no D-Bus
// secret service: CI, minimal desktops), in a per-profile file only the user can read.
// Every call answers through its callback, later, on the thread that owns the store.
class SecretStore final : public QObject
{
    Q_OBJECT
public:
    enum class Backend { Keychain, File };
    Q_ENUM(Backend)

    using ReadCallback = std::function<void(const Secrets &secrets, const QString &error)>;
    using DoneCallback = std::function<void(const QString &error)>;

    // forceFileBackend skips the keychain altogether (tests, portable setups).
    explicit SecretStore(bool forceFileBackend = false, QObject *parent = nullptr);

    Backend backend() const { return m_backend; }
    QString backendDescription() const; // for the profile dialog: where secrets go

    QString fileDirectory() const { return m_directory; } // AppDataLocation/secrets
    void setFileDirectory(const QString &directory) { m_directory = directory; }

    // A profile without stored secrets reads as empty Secrets and no error.
    void read(const QString &profileId, ReadCallback callback);
    void write(const QString &profileId, const Secrets &secrets, DoneCallback callback = {});
    void remove(const QString &profileId, DoneCallback callback = {});

    static QByteArray encode(const Secrets &secrets);
    static Secrets decode(const QByteArray &blob);

Q_SIGNALS:
    // Emitted once when the keychain turns out to be unavailable.
    void backendChanged(periscope::profiles::SecretStore::Backend backend);

private:
    bool keychainUnavailable(const QKeychain::Job *job);
    QString filePath(const QString &profileId) const;
    void readFile(const QString &profileId, ReadCallback callback);
    void writeFile(const QString &profileId, const Secrets &secrets, DoneCallback callback);
    void removeFile(const QString &profileId, DoneCallback callback);
    void deliver(std::function<void()> call);

    Backend m_backend = Backend::Keychain;
    QString m_directory;
};

} // namespace periscope::profiles
