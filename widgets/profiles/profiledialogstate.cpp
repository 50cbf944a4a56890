// ProfileDialog: moving data in and out of the form, validation and visibility.
// The widgets themselves are built in profiledialog.cpp.

#include "profiles/importer.h"
#include "profiles/presets.h"
#include "profiles/profiledialog.h"
#include "profiles/profilefields.h"

#include <QCheckBox>
#include <QColorDialog>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QPixmap>
#include <QPushButton>

namespace periscope::widgets {

using profiles::Profile;
using profiles::Secrets;
using Protocol = Profile::SecurityProtocol;
using Mechanism = Profile::SaslMechanism;

namespace {

void selectData(QComboBox *combo, int value)
{
    combo->setCurrentIndex(std::max(0, combo->findData(value)));
}

bool usesPassword(Mechanism mechanism)
{
    return mechanism == Mechanism::Plain || mechanism == Mechanism::ScramSha256 ||
           mechanism == Mechanism::ScramSha512;
}

} // namespace

void ProfileDialog::setProfile(const Profile &profile, const Secrets &secrets)
{
    m_base = profile;
    if (m_base.id.isEmpty())
        m_base.id = profiles::newProfileId();
    fill(m_base);
    fillSecrets(secrets);
    m_importLabel->clear();
    m_testLabel->clear();
    updateState();
}

void ProfileDialog::fill(const Profile &p)
{
    m_nameEdit->setText(p.name);
    m_bootstrapEdit->setText(p.bootstrap);
    selectData(m_protocolCombo, int(p.securityProtocol));
    selectData(m_mechanismCombo, int(p.saslMechanism));
    m_usernameEdit->setText(p.username);
    m_oauthEndpointEdit->setText(p.oauthTokenEndpoint);
    m_oauthClientIdEdit->setText(p.oauthClientId);
    m_oauthScopeEdit->setText(p.oauthScope);
    m_kerberosServiceEdit->setText(p.kerberosServiceName);
    m_kerberosPrincipalEdit->setText(p.kerberosPrincipal);
    m_kerberosKeytabEdit->setPath(p.kerberosKeytab);
    m_caEdit->setPath(p.caFile);
    m_certEdit->setPath(p.certFile);
    m_keyEdit->setPath(p.keyFile);
    m_verifyCheck->setChecked(p.verifyHostname);
    m_extrasEditor->setProperties(p.extraProperties);
    m_readOnlyCheck->setChecked(p.readOnly);
    setColour(p.colour);
}

void ProfileDialog::fillSecrets(const Secrets &secrets)
{
    m_passwordEdit->setText(secrets.password);
    m_keyPasswordEdit->setText(secrets.keyPassword);
    m_oauthSecretEdit->setText(secrets.oauthClientSecret);
}

Profile ProfileDialog::profile() const
{
    Profile p = m_base;
    p.name = m_nameEdit->text().trimmed();
    p.bootstrap = m_bootstrapEdit->text().trimmed();
    p.securityProtocol = Protocol(m_protocolCombo->currentData().toInt());
    p.saslMechanism = Mechanism(m_mechanismCombo->currentData().toInt());
    p.username = m_usernameEdit->text().trimmed();
    p.oauthTokenEndpoint = m_oauthEndpointEdit->text().trimmed();
    p.oauthClientId = m_oauthClientIdEdit->text().trimmed();
    p.oauthScope = m_oauthScopeEdit->text().trimmed();
    p.kerberosServiceName = m_kerberosServiceEdit->text().trimmed();
    p.kerberosPrincipal = m_kerberosPrincipalEdit->text().trimmed();
    p.kerberosKeytab = m_kerberosKeytabEdit->path();
    p.caFile = m_caEdit->path();
    p.certFile = m_certEdit->path();
    p.keyFile = m_keyEdit->path();
    p.verifyHostname = m_verifyCheck->isChecked();
    p.extraProperties = m_extrasEditor->properties();
    p.readOnly = m_readOnlyCheck->isChecked();
    p.colour = m_colour;
    return p;
}

Secrets ProfileDialog::secrets() const
{
    const Profile p = profile();
    Secrets s;
    if (p.usesSasl() && usesPassword(p.saslMechanism))
        s.password = m_passwordEdit->text();
    if (p.usesSasl() && p.saslMechanism == Mechanism::OAuthBearer)
        s.oauthClientSecret = m_oauthSecretEdit->text();
    if (p.usesTls())
        s.keyPassword = m_keyPasswordEdit->text();
    return s;
}

void ProfileDialog::setSecretBackendDescription(const QString &description)
{
    m_secretsLabel->setText(tr("Passwords and keys are stored in the %1.").arg(description));
}

void ProfileDialog::setTakenNames(const QStringList &names)
{
    m_takenNames = names;
    updateState();
}

void ProfileDialog::applyPreset(const QString &presetId)
{
    const std::optional<profiles::Preset> preset = profiles::findPreset(presetId);
    if (!preset)
        return;
    Profile p = profile();
    preset->apply(p);
    fill(p);
    m_presetCombo->setCurrentIndex(std::max(0, m_presetCombo->findData(presetId)));
    m_presetHint->setText(preset->hint);
    m_bootstrapEdit->setPlaceholderText(preset->bootstrapExample);
}

bool ProfileDialog::importFile(const QString &path)
{
    const profiles::ImportResult result = profiles::importClientConfigFile(path);
    if (!result.ok()) {
        m_importLabel->setText(result.error);
        return false;
    }
    Profile imported = result.profile;
    const Profile current = profile();
    imported.id = current.id;
    imported.isLocal = current.isLocal;
    imported.readOnly = current.readOnly;
    imported.colour = current.colour;
    if (!current.name.isEmpty())
        imported.name = current.name;
    fill(imported);
    Secrets merged{m_passwordEdit->text(), m_keyPasswordEdit->text(), m_oauthSecretEdit->text()};
    for (auto [field, value] : {std::pair{&merged.password, result.secrets.password},
                                {&merged.keyPassword, result.secrets.keyPassword},
                                {&merged.oauthClientSecret, result.secrets.oauthClientSecret}})
        if (!value.isEmpty())
            *field = value;
    fillSecrets(merged);
    QStringList lines{tr("Imported %1.").arg(path)};
    lines << result.warnings;
    m_importLabel->setText(lines.join(QLatin1Char('\n')));
    return true;
}

void ProfileDialog::showTestResult(bool ok, const QString &message)
{
    m_testPending = false;
    m_testLabel->setText(ok ? tr("Connected. %1").arg(message) : tr("Failed: %1").arg(message));
    updateState();
}

void ProfileDialog::chooseColour()
{
    const QColor chosen =
        QColorDialog::getColor(QColor::fromString(m_colour), this, tr("Profile Colour"));
    if (chosen.isValid())
        setColour(chosen.name());
}

void ProfileDialog::setColour(const QString &colour)
{
    m_colour = QColor::fromString(colour).isValid() ? colour : QString();
    QPixmap swatch(16, 16);
    swatch.fill(m_colour.isEmpty() ? Qt::transparent : QColor::fromString(m_colour));
    m_colourButton->setIcon(QIcon(swatch));
    m_colourButton->setText(m_colour.isEmpty() ? tr("Choose…") : m_colour);
}

void ProfileDialog::fillEventHubsBootstrap()
{
    // Event Hubs users paste the connection string; the namespace in it is the bootstrap.
    // Only a complete string counts, and only an empty or earlier filled-in bootstrap is
    // replaced, so neither typing nor a deliberate bootstrap is overwritten by a fragment.
    const QString bootstrap = m_bootstrapEdit->text().trimmed();
    if (m_usernameEdit->text() != QLatin1String("$ConnectionString") ||
        (!bootstrap.isEmpty() && bootstrap != m_filledBootstrap))
        return;
    Profile parsed;
    Secrets unused;
    if (profiles::applyEventHubsConnectionString(parsed, unused, m_passwordEdit->text())
            .isEmpty()) {
        m_filledBootstrap = parsed.bootstrap;
        m_bootstrapEdit->setText(parsed.bootstrap);
    }
}

void ProfileDialog::updateState()
{
    const Profile p = profile();
    m_saslBox->setVisible(p.usesSasl());
    m_tlsBox->setVisible(p.usesTls());
    const bool password = usesPassword(p.saslMechanism);
    const bool oauth = p.saslMechanism == Mechanism::OAuthBearer;
    const bool kerberos = p.saslMechanism == Mechanism::Gssapi;
    m_saslForm->setRowVisible(m_usernameEdit, password);
    m_saslForm->setRowVisible(m_passwordEdit, password);
    for (QWidget *field : std::initializer_list<QWidget *>{m_oauthEndpointEdit, m_oauthClientIdEdit,
                                                           m_oauthSecretEdit, m_oauthScopeEdit})
        m_saslForm->setRowVisible(field, oauth);
    for (QWidget *field : std::initializer_list<QWidget *>{
             m_kerberosServiceEdit, m_kerberosPrincipalEdit, m_kerberosKeytabEdit})
        m_saslForm->setRowVisible(field, kerberos);

    QString message;
    if (p.name.isEmpty())
        message = tr("Enter a name for the profile.");
    else if (m_takenNames.contains(p.name, Qt::CaseInsensitive))
        message = tr("Another profile is already called “%1”.").arg(p.name);
    else
        message = profiles::validateBootstrap(p.bootstrap);
    for (const auto &[key, value] : p.extraProperties) {
        if (message.isEmpty() && profiles::isSecretProperty(key))
            message = tr("“%1” holds a secret: extra properties are saved in plain text.").arg(key);
    }
    m_validationMessage = message;
    m_validationLabel->setText(message);
    m_validationLabel->setVisible(!message.isEmpty());
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(message.isEmpty());
    m_testButton->setEnabled(message.isEmpty() && !m_testPending);
}

} // namespace periscope::widgets
