from django.contrib.staticfiles.storage import ManifestStaticFilesStorage


class LenientManifestStaticFilesStorage(ManifestStaticFilesStorage):
    """Hash static file names, but tolerate references the manifest cannot resolve.

    viewflow's bundled CSS references fonts that are not shipped; strict mode would
    refuse to collect them.
    """

    manifest_strict = False
