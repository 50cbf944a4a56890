#pragma once

#include "profile.h"

#include <QList>
#include <QObject>
#include <QString>
#include <optional>

namespace periscope::profiles {

// The saved connection profiles (never their secrets). Changes stay in memory until
// save(), which replaces the file atomically so a crash cannot leave half a file.
class ProfileStore final : public QObject
{
    Q_OBJECT
public:
    explicit ProfileStore(QString filePath = defaultFilePath(), QObject *parent = nullptr);

    static QString defaultFilePath(); // AppConfigLocation/profiles.json

    QString filePath() const { return m_filePath; }

    // Both return an error message for the user, empty on success. A missing file is an
    // empty store; an unreadable one is renamed to *.broken and the store starts empty.
    QString load();
    QString save() const;

    const QList<Profile> &profiles() const { return m_profiles; }
    std::optional<Profile> findById(const QString &id) const;
    std::optional<Profile> findByName(const QString &name) const;

    // Returns the id, creating one when the profile has none.
    QString add(Profile profile);
    bool update(const Profile &profile); // false: no profile with that id
    bool remove(const QString &id);
    // A copy named "NAME (copy)" with a new id; returns that id, empty if `id` is unknown.
    QString duplicate(const QString &id);

Q_SIGNALS:
    void changed();

private:
    qsizetype indexOf(const QString &id) const;
    QString uniqueCopyName(const QString &name) const;
    QString quarantine(const QString &reason);

    QString m_filePath;
    QList<Profile> m_profiles;
};

} // namespace periscope::profiles
