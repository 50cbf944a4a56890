#pragma once

// What the GUI tests share: finding a named child widget, retyping a field, a read-only
// connection.

#include "commandline.h"
#include "profiles/profilestore.h"

#include <QString>
#include <QTest>
#include <QWidget>

namespace periscope::test {

// The child called `name`; a missing one ends the test program with its name.
template <typename T>
T *child(QWidget *parent, const char *name)
{
    T *found = parent->findChild<T *>(QString::fromLatin1(name));
    if (!found)
        qFatal("no child widget named %s", name);
    return found;
}

// Replaces a field's text as a user would: select all, delete, type.
inline void retype(QWidget *edit, const QString &text)
{
    QTest::keyClick(edit, Qt::Key_A, Qt::ControlModifier);
    QTest::keyClick(edit, Qt::Key_Delete);
    QTest::keyClicks(edit, text);
}

// Saves a read-only profile for the broker and returns launch options that open it.
inline app::LaunchOptions readOnlyLaunch(const QString &bootstrap)
{
    profiles::ProfileStore store;
    profiles::Profile p;
    p.name = QStringLiteral("Production (read-only)");
    p.bootstrap = bootstrap;
    p.readOnly = true;
    store.add(p);
    const QString error = store.save();
    if (!error.isEmpty())
        qWarning("cannot save the read-only profile: %s", qPrintable(error));
    app::LaunchOptions options;
    options.profile = p.name;
    return options;
}

} // namespace periscope::test
