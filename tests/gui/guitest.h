#pragma once

// What the GUI tests share: finding a named child widget, retyping a field, answering a
// modal dialog, a read-only connection.

#include "commandline.h"
#include "profiles/profilestore.h"

#include <QApplication>
#include <QDialog>
#include <QDialogButtonBox>
#include <QPushButton>
#include <QString>
#include <QTest>
#include <QTimer>
#include <QWidget>
#include <functional>
#include <memory>

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

// Runs `fill` on the next modal dialog once it is up; the test's own call then blocks in
// the dialog's exec() as a user's click would.
inline void whenDialogOpens(std::function<void(QWidget *)> fill)
{
    auto *timer = new QTimer;
    timer->setInterval(20);
    auto tries = std::make_shared<int>(0);
    QObject::connect(timer, &QTimer::timeout, [timer, fill, tries] {
        if (QWidget *dialog = QApplication::activeModalWidget()) {
            timer->stop();
            timer->deleteLater();
            fill(dialog);
        } else if (++*tries > 500) {
            timer->deleteLater();
        }
    });
    timer->start();
}

// Clicks the dialog's OK; when it cannot (missing, disabled) the dialog is rejected so the
// test fails instead of waiting forever in exec().
inline void clickOk(QWidget *dialog)
{
    QPushButton *ok = dialog->findChild<QPushButton *>(QStringLiteral("okButton"));
    if (!ok)
        if (auto *box = dialog->findChild<QDialogButtonBox *>())
            ok = box->button(QDialogButtonBox::Ok);
    if (!ok || !ok->isEnabled()) {
        qWarning("OK is missing or disabled in %s", qPrintable(dialog->objectName()));
        static_cast<QDialog *>(dialog)->reject();
        return;
    }
    QTest::mouseClick(ok, Qt::LeftButton);
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
