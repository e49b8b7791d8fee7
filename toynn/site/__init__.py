"""The site's build step: run the experiments, cache their outputs, feed them to mkdocs.

Not part of the tutorial's ten-minute read: ``toynn.site.experiments`` lists what the site
shows, ``toynn.site.cache`` decides what must re-run, ``toynn.site.plugin`` is the mkdocs
plugin that ties them to the pages.
"""
