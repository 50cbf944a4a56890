#include "profilestore.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>
#include <QSet>
#include <QStandardPaths>

namespace periscope::profiles {

namespace {

constexpr int kFormatVersion = 1;

} // namespace

ProfileStore::ProfileStore(QString filePath, QObject *parent)
    : QObject(parent)
    , m_filePath(std::move(filePath))
{}

QString ProfileStore::defaultFilePath()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation) +
           QStringLiteral("/profiles.json");
}

QString ProfileStore::load()
{
    QFile file(m_filePath);
    if (!file.exists()) {
        m_profiles.clear();
        Q_EMIT changed();
        return {};
    }
    if (!file.open(QIODevice::ReadOnly))
        return tr("Cannot read %1: %2").arg(m_filePath, file.errorString());
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &parseError);
    file.close();
    if (parseError.error != QJsonParseError::NoError)
        return quarantine(
            tr("%1 (at byte %2)").arg(parseError.errorString()).arg(parseError.offset));
    const QJsonObject root = doc.object();
    if (!doc.isObject() || !root.value(QLatin1String("profiles")).isArray())
        return quarantine(tr("it holds no profile list"));
    if (root.value(QLatin1String("version")).toInt() > kFormatVersion)
        return tr("%1 was written by a newer Periscope; it was left untouched.").arg(m_filePath);

    QList<Profile> loaded;
    QSet<QString> ids;
    const QJsonArray array = root.value(QLatin1String("profiles")).toArray();
    for (const QJsonValue &value : array) {
        if (!value.isObject())
            continue;
        Profile profile = fromJson(value.toObject());
        if (profile.id.isEmpty() || ids.contains(profile.id))
            profile.id = newProfileId();
        ids.insert(profile.id);
        loaded.append(profile);
    }
    m_profiles = loaded;
    Q_EMIT changed();
    return {};
}

QString ProfileStore::quarantine(const QString &reason)
{
    QString broken = m_filePath + QStringLiteral(".broken");
    // Never overwrite an earlier broken file: it may be the only copy of those profiles.
    if (QFile::exists(broken))
        broken += QLatin1Char('.') +
                  QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-hhmmss"));
    m_profiles.clear();
    Q_EMIT changed();
    if (!QFile::rename(m_filePath, broken))
        return tr("The profiles file %1 is damaged (%2) and could not be renamed.")
            .arg(m_filePath, reason);
    return tr("The profiles file was damaged (%1); it was kept as %2.").arg(reason, broken);
}

QString ProfileStore::save() const
{
    QJsonArray array;
    for (const Profile &profile : m_profiles)
        array.append(toJson(profile));
    const QJsonObject root{{QStringLiteral("version"), kFormatVersion},
                           {QStringLiteral("profiles"), array}};

    QDir().mkpath(QFileInfo(m_filePath).absolutePath());
    QSaveFile file(m_filePath);
    if (!file.open(QIODevice::WriteOnly))
        return tr("Cannot write %1: %2").arg(m_filePath, file.errorString());
    file.write(QJsonDocument(root).toJson(QJsonDocument::Indented));
    if (!file.commit())
        return tr("Cannot write %1: %2").arg(m_filePath, file.errorString());
    return {};
}

qsizetype ProfileStore::indexOf(const QString &id) const
{
    for (qsizetype i = 0; i < m_profiles.size(); ++i)
        if (m_profiles.at(i).id == id)
            return i;
    return -1;
}

std::optional<Profile> ProfileStore::findById(const QString &id) const
{
    const qsizetype i = indexOf(id);
    return i < 0 ? std::nullopt : std::optional<Profile>(m_profiles.at(i));
}

std::optional<Profile> ProfileStore::findByName(const QString &name) const
{
    for (const Profile &profile : m_profiles)
        if (profile.name.compare(name, Qt::CaseInsensitive) == 0)
            return profile;
    return std::nullopt;
}

QString ProfileStore::add(Profile profile)
{
    if (profile.id.isEmpty() || indexOf(profile.id) >= 0)
        profile.id = newProfileId();
    m_profiles.append(profile);
    Q_EMIT changed();
    return profile.id;
}

bool ProfileStore::update(const Profile &profile)
{
    const qsizetype i = indexOf(profile.id);
    if (i < 0)
        return false;
    m_profiles[i] = profile;
    Q_EMIT changed();
    return true;
}

bool ProfileStore::remove(const QString &id)
{
    const qsizetype i = indexOf(id);
    if (i < 0)
        return false;
    m_profiles.removeAt(i);
    Q_EMIT changed();
    return true;
}

QString ProfileStore::uniqueCopyName(const QString &name) const
{
    QString candidate = tr("%1 (copy)").arg(name);
    for (int n = 2; findByName(candidate); ++n)
        candidate = tr("%1 (copy %2)").arg(name, QString::number(n));
    return candidate;
}

QString ProfileStore::duplicate(const QString &id)
{
    const qsizetype i = indexOf(id);
    if (i < 0)
        return {};
    Profile copy = m_profiles.at(i);
    copy.id = newProfileId();
    copy.name = uniqueCopyName(copy.name);
    copy.isLocal = false; // there is only one bundled broker
    m_profiles.insert(i + 1, copy);
    Q_EMIT changed();
    return copy.id;
}

} // namespace periscope::profiles
