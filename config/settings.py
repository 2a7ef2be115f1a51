"""Where each setting's value comes from: an environment variable, the
instance config file, or its default in config/table.py. An environment
variable wins over the file, so a value given for one run is never hidden
by the file. A value that cannot be used leaves the default in its place
and is kept as given, for check-config to show and production to refuse."""
import os
from pathlib import Path

from flask import Config as FlaskConfig

from config.table import SETTINGS, SETTINGS_BY_NAME, UnusableValue

# Names another instance config file; by default instance/appraise.cfg.
CONFIG_FILE_VARIABLE = "APPRAISE_CONFIG"
CONFIG_FILE_NAME = "appraise.cfg"
# The config key holding {setting: value as given} for each value that cannot be used.
UNUSABLE_VALUES = "UNUSABLE_SETTING_VALUES"
DEFAULT = "default"


def config_file_path(app):
    return Path(os.environ.get(CONFIG_FILE_VARIABLE) or Path(app.instance_path) / CONFIG_FILE_NAME)


def read_config_file(app):
    """The upper-case names the instance config file sets; {} when there is none."""
    values = FlaskConfig(app.root_path)
    values.from_pyfile(config_file_path(app), silent=True)
    return dict(values)


def given_value(setting, in_file):
    """(where the setting's value comes from, the value as given there)."""
    text = os.environ.get(setting.environment_variable)
    if text is not None and setting.is_given_by(text):
        return f"environment ({setting.environment_variable})", text
    if setting.name in in_file:
        return "instance file", in_file[setting.name]
    return DEFAULT, None


def load_settings(app):
    """Every setting from the instance config file and the environment; the
    file's other names (Flask's own settings) as they are."""
    in_file = read_config_file(app)
    app.config.update({name: value for name, value in in_file.items() if name not in SETTINGS_BY_NAME})
    unusable = {}
    for setting in SETTINGS:
        source, given = given_value(setting, in_file)
        if source == DEFAULT:
            continue
        try:
            app.config[setting.name] = setting.read(given)
        except UnusableValue as problem:
            unusable[setting.name] = given
            app.logger.warning("%s Its default is used in its place.", problem)
    app.config[UNUSABLE_VALUES] = unusable


def setting_sources(app):
    """(name, source, value as shown, help) for every setting, secrets masked;
    a value that cannot be used is shown as given, with the default used instead."""
    in_file = read_config_file(app)
    unusable = app.config.get(UNUSABLE_VALUES, {})
    rows = []
    for setting in SETTINGS:
        source, _given = given_value(setting, in_file)
        shown = setting.shown(app.config.get(setting.name))
        if setting.name in unusable:
            shown = f"{setting.shown(unusable[setting.name])} cannot be used: {shown} in its place"
        rows.append((setting.name, source, shown, setting.help))
    return rows
