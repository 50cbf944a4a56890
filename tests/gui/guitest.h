#pragma once

// What the GUI tests share: finding a named child widget and retyping a field.

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

} // namespace periscope::test
