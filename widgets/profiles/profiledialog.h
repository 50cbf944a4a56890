#pragma once

#include "profiles/profile.h"

#include <QDialog>
#include <QStringList>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QFormLayout;
class QGroupBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace periscope::widgets {

class PathEdit;
class PropertiesEditor;
class SecretEdit;

// Edits one connection profile and its secrets. It never connects by itself: "Test
// connection" emits testConnectionRequested() and the owner answers with showTestResult().
class ProfileDialog final : public QDialog
{
    Q_OBJECT
public:
    explicit ProfileDialog(QWidget *parent = nullptr);

    void setProfile(const profiles::Profile &profile, const profiles::Secrets &secrets);
    // The id, isLocal and anything the form does not show are kept from setProfile().
    profiles::Profile profile() const;
    // Only the secrets the chosen protocol and mechanism use, so no stale one is stored.
    profiles::Secrets secrets() const;

    void setSecretBackendDescription(const QString &description);
    void setTakenNames(const QStringList &names); // names other profiles already use

    bool isValid() const { return m_validationMessage.isEmpty(); }
    QString validationMessage() const { return m_validationMessage; }

    void applyPreset(const QString &presetId);
    // Fills the form from a client.properties or kcat config; the outcome is shown inline.
    bool importFile(const QString &path);

public Q_SLOTS:
    void showTestResult(bool ok, const QString &message);

Q_SIGNALS:
    void testConnectionRequested(const periscope::profiles::Profile &profile,
                                 const periscope::profiles::Secrets &secrets);

private:
    QWidget *buildConnectionBox();
    QWidget *buildSaslBox();
    QWidget *buildTlsBox();
    void connectEdits();
    void fill(const profiles::Profile &profile);
    void fillSecrets(const profiles::Secrets &secrets);
    void chooseColour();
    void setColour(const QString &colour);
    void updateState();
    void fillEventHubsBootstrap();

    profiles::Profile m_base;
    QStringList m_takenNames;
    QString m_colour;
    QString m_validationMessage;
    bool m_testPending = false;
    QString m_filledBootstrap; // set from an Event Hubs connection string

    QComboBox *m_presetCombo = nullptr;
    QLabel *m_presetHint = nullptr;
    QLabel *m_importLabel = nullptr;
    QLineEdit *m_nameEdit = nullptr;
    QLineEdit *m_bootstrapEdit = nullptr;
    QComboBox *m_protocolCombo = nullptr;
    QCheckBox *m_readOnlyCheck = nullptr;
    QPushButton *m_colourButton = nullptr;

    QGroupBox *m_saslBox = nullptr;
    QFormLayout *m_saslForm = nullptr;
    QComboBox *m_mechanismCombo = nullptr;
    QLineEdit *m_usernameEdit = nullptr;
    SecretEdit *m_passwordEdit = nullptr;
    QLineEdit *m_oauthEndpointEdit = nullptr;
    QLineEdit *m_oauthClientIdEdit = nullptr;
    SecretEdit *m_oauthSecretEdit = nullptr;
    QLineEdit *m_oauthScopeEdit = nullptr;
    QLineEdit *m_kerberosServiceEdit = nullptr;
    QLineEdit *m_kerberosPrincipalEdit = nullptr;
    PathEdit *m_kerberosKeytabEdit = nullptr;

    QGroupBox *m_tlsBox = nullptr;
    PathEdit *m_caEdit = nullptr;
    PathEdit *m_certEdit = nullptr;
    PathEdit *m_keyEdit = nullptr;
    SecretEdit *m_keyPasswordEdit = nullptr;
    QCheckBox *m_verifyCheck = nullptr;

    PropertiesEditor *m_extrasEditor = nullptr;
    QPushButton *m_testButton = nullptr;
    QLabel *m_testLabel = nullptr;
    QLabel *m_secretsLabel = nullptr;
    QLabel *m_validationLabel = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
};

} // namespace periscope::widgets
