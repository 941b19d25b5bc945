# apiconform in a container: `docker build -t apiconform .` then, from the folder holding
# apiconform.toml (and waivers.toml, if any):
#   docker run --rm -v "$PWD:/work" -e COLIVING_API_KEY apiconform run coliving --report-dir reports
FROM python:3.11-slim

WORKDIR /opt/apiconform
COPY pyproject.toml README.md ./
COPY src ./src
COPY schemas ./schemas
COPY suites ./suites
RUN pip install --no-cache-dir . && rm -rf /opt/apiconform

WORKDIR /work
ENTRYPOINT ["apiconform"]
CMD ["--help"]
