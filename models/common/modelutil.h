#pragma once

// Small helpers the models share: number formatting, alignment and the few colours a
// model may suggest. Views may override the colours through their own delegates.

#include <QColor>
#include <QLocale>
#include <QString>
#include <QVariant>

namespace periscope::models {

// Qt::UserRole+1 in every model: raw values (numbers, not formatted text) for sorting.
inline constexpr int SortRoleValue = Qt::UserRole + 1;

inline QString formatCount(qint64 n)
{
    return QLocale().toString(n);
}

// The dash shown for a value that is unknown or does not exist.
inline QString unknownText()
{
    return QString(QChar(0x2014));
}

// The ellipsis shown while a value is still being fetched.
inline QString pendingText()
{
    return QString(QChar(0x2026));
}

inline QString checkMark()
{
    return QString(QChar(0x2713));
}

inline QVariant numberAlignment()
{
    return QVariant::fromValue(int(Qt::AlignRight | Qt::AlignVCenter));
}

inline QColor warningColor()
{
    return QColor(0xb3, 0x6b, 0x00);
}

inline QColor errorColor()
{
    return QColor(0xc6, 0x28, 0x28);
}

inline QColor mutedColor()
{
    return QColor(0x80, 0x80, 0x80);
}

inline QColor warningTint()
{
    return QColor(0xff, 0xc1, 0x07, 0x40);
}

inline QColor errorTint()
{
    return QColor(0xe5, 0x39, 0x35, 0x40);
}

} // namespace periscope::models
